import { CONSOLE_SCRIPT } from "./docs-console.js";
import { escapeHtml, fieldsTable, markdown, schemaAnchor, typeLabel } from "./docs-schema.js";

type Schema = Record<string, unknown>;
interface OperationDoc {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security: Record<string, string[]>[];
  parameters: Schema[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1a1f36;display:grid;grid-template-columns:260px 1fr}
nav{position:sticky;top:0;height:100vh;overflow:auto;background:#f6f8fa;padding:16px;box-sizing:border-box;font-size:14px}
nav a{display:block;color:#3c4257;text-decoration:none;padding:1px 0}nav h3{margin:14px 0 4px;font-size:13px;text-transform:uppercase;color:#697386}
main{padding:24px 40px;max-width:1000px}section.op{border-top:1px solid #e3e8ee;padding:18px 0}
.method{display:inline-block;min-width:56px;font:600 12px monospace;text-transform:uppercase;padding:2px 6px;border-radius:4px;background:#e3e8ee}
.get{background:#d7f7c2}.post{background:#cff5f6}.put,.patch{background:#fcedb9}.delete{background:#ffe7f2}
code{font-family:ui-monospace,monospace;font-size:13px;background:#f6f8fa;padding:0 3px;border-radius:3px}
table.fields{border-collapse:collapse;width:100%;font-size:14px}table.fields td{border-bottom:1px solid #eef0f3;padding:4px 8px;vertical-align:top}
.req{color:#c0123c;font-size:11px}.auth{color:#697386;font-size:13px}
form.try{background:#f6f8fa;padding:10px;border-radius:6px}form.try textarea{width:100%;font-family:monospace}
output{display:block;white-space:pre-wrap;font-family:monospace;font-size:13px;margin-top:8px}
header.bar{position:sticky;top:0;background:#fff;padding:8px 0;border-bottom:1px solid #e3e8ee}
`;

const AUTH_LABEL: Record<string, (scopes: string[]) => string> = {
  secretKey: () => "Secret key",
  opsToken: (scopes) => `Ops token, scope <code>${escapeHtml(scopes.join(" "))}</code>`,
  clientBasic: () => "Ops client id and secret (HTTP Basic or form)",
  vaultServiceToken: () => "Vault service token (internal)",
  dashboardSession: () => "Dashboard session cookie",
};

function authLabel(security: Record<string, string[]>[]): string {
  const named = security.flatMap((entry) => Object.entries(entry));
  if (named.length === 0) return "No authentication";
  return named.map(([scheme, scopes]) => AUTH_LABEL[scheme]?.(scopes) ?? escapeHtml(scheme)).join(" or ");
}

/** A JSON body skeleton from the schema's required fields, to start the console with. */
function example(schema: Schema): string {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = (schema.required as string[] | undefined) ?? [];
  const sample = (field: Schema): unknown => {
    if ("const" in field) return field.const;
    if (Array.isArray(field.examples)) return field.examples[0];
    if (Array.isArray(field.enum)) return field.enum[0];
    if (field.type === "integer" || field.type === "number")
      return typeof field.minimum === "number" ? Math.max(1, field.minimum) : 1;
    if (field.type === "boolean") return false;
    if (field.type === "array") return [];
    if (field.type === "object") return JSON.parse(example(field));
    return "";
  };
  return JSON.stringify(Object.fromEntries(required.map((name) => [name, sample(properties[name] ?? {})])), null, 2);
}

function operationSection(path: string, method: string, op: OperationDoc): string {
  const params = op.parameters.filter((param) => !("$ref" in param));
  const body = op.requestBody ? Object.entries(op.requestBody.content)[0] : undefined;
  const paramRows = params
    .map(
      (param) =>
        `<tr><td><code>${escapeHtml(String(param.name))}</code>${param.required ? ' <span class="req">required</span>' : ""}</td><td>${escapeHtml(String(param.in))}</td><td>${typeLabel(param.schema as Schema)}</td><td>${escapeHtml(String(param.description ?? ""))}</td></tr>`,
    )
    .join("");
  const responses = Object.entries(op.responses)
    .map(([status, response]) => {
      const schema = response.content ? Object.values(response.content)[0]?.schema : undefined;
      return `<tr><td><code>${status}</code></td><td>${markdown(response.description)}</td><td>${schema ? typeLabel(schema) : ""}</td></tr>`;
    })
    .join("");
  const inputs = params
    .map(
      (param) =>
        `<label>${escapeHtml(String(param.name))} <input name="${escapeHtml(String(param.name))}" data-in="${escapeHtml(String(param.in))}"${param.required ? " required" : ""}></label> `,
    )
    .join("");
  const idempotent = op.parameters.some((param) => param.$ref === "#/components/parameters/IdempotencyKey");
  return `<section class="op" id="${escapeHtml(op.operationId)}">
<h3><span class="method ${method}">${method}</span> <code>${escapeHtml(path)}</code> — ${escapeHtml(op.summary)}</h3>
<p class="auth">${authLabel(op.security)}</p>${op.description ? markdown(op.description) : ""}
${paramRows ? `<h4>Parameters</h4><table class="fields"><tbody>${paramRows}</tbody></table>` : ""}
${body ? `<h4>Body <code>${escapeHtml(body[0])}</code></h4>${fieldsTable(body[1].schema)}` : ""}
<h4>Responses</h4><table class="fields"><tbody>${responses}</tbody></table>
<details><summary>Try it</summary><form class="try" data-method="${method}" data-path="${escapeHtml(path)}"${body?.[0].includes("form") ? ' data-form="1"' : ""}>
${inputs}${idempotent ? '<label>Idempotency-Key <input name="idempotency-key"></label>' : ""}
${body ? `<textarea rows="6">${escapeHtml(body[0].includes("form") ? "grant_type=client_credentials" : example(body[1].schema))}</textarea>` : ""}
<button type="submit">Send</button><output></output></form></details>
</section>`;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/** `/docs`: the whole reference rendered from the document, plus the console script. */
export async function docsPage(document: Schema): Promise<{ html: string; contentSecurityPolicy: string }> {
  const info = document.info as { title: string; version: string; description: string };
  const paths = document.paths as Record<string, Record<string, OperationDoc>>;
  const schemas = (document.components as { schemas: Record<string, Schema> }).schemas;
  const parameters = (document.components as { parameters: Record<string, { schema: { enum: string[] } }> }).parameters;
  const versions = parameters.ApiVersion?.schema.enum ?? [];
  const operations = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const tags = [...new Set(operations.map(({ op }) => op.tags[0] ?? "Other"))];
  const nav = tags
    .map(
      (tag) =>
        `<h3>${escapeHtml(tag)}</h3>${operations
          .filter(({ op }) => op.tags[0] === tag)
          .map(({ op }) => `<a href="#${escapeHtml(op.operationId)}">${escapeHtml(op.summary)}</a>`)
          .join("")}`,
    )
    .join("");
  const body = tags
    .map(
      (tag) =>
        `<h2>${escapeHtml(tag)}</h2>${operations
          .filter(({ op }) => op.tags[0] === tag)
          .map(({ path, method, op }) => operationSection(path, method, op))
          .join("")}`,
    )
    .join("");
  const webhooks = Object.entries((document.webhooks ?? {}) as Record<string, { post: OperationDoc }>)
    .map(([type, { post }]) => {
      const schema = post.requestBody?.content["application/json"]?.schema as { allOf?: Schema[] } | undefined;
      const object = ((schema?.allOf?.[1]?.properties as Schema | undefined)?.data as Schema | undefined)?.properties as
        | Record<string, Schema>
        | undefined;
      return `<tr id="${escapeHtml(post.operationId)}"><td><code>${escapeHtml(type)}</code></td><td>${object?.object ? typeLabel(object.object) : ""}</td></tr>`;
    })
    .join("");
  const objects = Object.entries(schemas)
    .map(
      ([name, schema]) =>
        `<section class="op" id="${schemaAnchor(name)}"><h3>${escapeHtml(name)}</h3>${schema.description ? markdown(String(schema.description)) : ""}${fieldsTable(schema)}</section>`,
    )
    .join("");
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(info.title)} reference</title><style>${STYLE}</style></head><body>
<nav><strong>${escapeHtml(info.title)}</strong><div>version ${escapeHtml(info.version)}</div><div>${versions.map((v) => `<a href="/docs?api_version=${escapeHtml(v)}">${escapeHtml(v)}</a>`).join("")}</div>${nav}<h3>Objects</h3>${Object.keys(
    schemas,
  )
    .map((name) => `<a href="#${schemaAnchor(name)}">${escapeHtml(name)}</a>`)
    .join("")}</nav>
<main><header class="bar"><label>Secret key <input id="api-key" type="password" autocomplete="off" placeholder="sk_test_..." size="40"></label>
<label>Api-Version <select id="api-version"><option value="">account default</option>${versions.map((v) => `<option>${escapeHtml(v)}</option>`).join("")}</select></label>
<a href="/v1/openapi.json">openapi.json</a></header>
<h1>${escapeHtml(info.title)}</h1>${markdown(info.description)}${body}<h2>Webhooks</h2><p>Each event is POSTed as an <a href="#schema-Event">Event</a> to every enabled endpoint subscribed to its type, in the endpoint's <code>api_version</code>, signed per Standard Webhooks (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>). Any 2xx acknowledges; anything else is retried for about three days.</p><table class="fields"><tbody>${webhooks}</tbody></table><h2>Objects</h2>${objects}</main>
<script>${CONSOLE_SCRIPT}</script></body></html>`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src 'sha256-${await sha256(CONSOLE_SCRIPT)}'`,
    `style-src 'sha256-${await sha256(STYLE)}'`,
    "connect-src 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
  return { html, contentSecurityPolicy };
}
