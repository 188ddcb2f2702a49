/**
 * An attacker's inputs for every operation of the API reference (`/v1/openapi.json`): hostile
 * path ids, query values and body fields, one at a time over an otherwise well-formed request,
 * and bodies that are not what they claim. Whatever comes in, the answer must be the API's own:
 * never a 500, and a 4xx that is JSON naming what was wrong (the non-negotiable "bad input gets
 * a clear 4xx JSON error"). Shared by the edge tier (through `SELF`) and scripts against `npm start`.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  minLength?: number;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  schema?: Schema;
  $ref?: string;
}

interface OperationDoc {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: Record<string, string[]>[];
}

export interface ApiDocument {
  paths: Record<string, Record<string, OperationDoc>>;
  components?: { schemas?: Record<string, Schema>; parameters?: Record<string, Parameter> };
}

/** Who may call: a merchant's secret key, an ops token, or nobody in particular. */
export type Caller = "merchant" | "ops" | "anyone";

export interface HostileRequest {
  method: string;
  path: string;
  caller: Caller;
  body?: string;
  /** What was hostile, for the failure message. */
  probe: string;
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Strings an attacker types into any field: empty, huge, control and non-ASCII characters, a PAN, markup, numbers in words. */
export const HOSTILE_STRINGS = [
  "",
  "a".repeat(5_000),
  "\u0000",
  "💳\u202e",
  "../../etc/passwd",
  "4242424242424242",
  "<script>alert(1)</script>",
  "9".repeat(400),
  "-1",
  "1e309",
  "NaN",
];

/** JSON values in place of any body field. */
export const HOSTILE_VALUES: unknown[] = [
  null,
  -1,
  1.5,
  2 ** 53 + 1,
  1e308,
  true,
  [],
  { $ne: 1 },
  "",
  "a".repeat(5_000),
  "\u0000",
];

/** Whole bodies that are not the object they claim to be (a nesting deep enough to exhaust a recursive parser). */
export const HOSTILE_BODIES = [
  "not json",
  "[]",
  "null",
  "1",
  '"s"',
  '{"a":',
  `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
];

function resolve<T extends { $ref?: string }>(document: ApiDocument, node: T | undefined): T | undefined {
  let current: unknown = node;
  for (let hops = 0; hops < 10 && current && typeof current === "object" && "$ref" in current; hops++) {
    const ref = (current as { $ref: string }).$ref;
    const [, , section, name] = ref.split("/");
    current = (document.components as Record<string, Record<string, unknown>> | undefined)?.[section ?? ""]?.[
      name ?? ""
    ];
  }
  return current as T | undefined;
}

/** A value the schema accepts, or something close: enough to carry a request past its other checks. */
function plausible(document: ApiDocument, raw: Schema | undefined, depth = 0): unknown {
  const schema = resolve(document, raw);
  if (!schema || depth > 4) return "x";
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const choice = schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema.allOf?.[0];
  if (choice) return plausible(document, choice, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "integer":
    case "number":
      return Math.max(schema.minimum ?? 1, 1);
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
      return Object.fromEntries(
        (schema.required ?? []).map((name) => [name, plausible(document, schema.properties?.[name], depth + 1)]),
      );
    default:
      if (schema.format === "uri") return "https://shop.example/x";
      if (schema.format === "email") return "someone@shop.example";
      return "x".repeat(Math.max(schema.minLength ?? 1, 1));
  }
}

function callerOf(operation: OperationDoc): Caller | null {
  const schemes = (operation.security ?? []).flatMap((entry) => Object.keys(entry));
  if (schemes.length === 0) return "anyone";
  if (schemes.includes("secretKey")) return "merchant";
  if (schemes.includes("opsToken")) return "ops";
  // Dashboard sessions, client credentials and the vault's own tokens have their own suites.
  return null;
}

/** Every hostile request for every operation the document lists (those `skip` names left out). */
export function hostileRequests(document: ApiDocument, skip: (path: string) => boolean = () => false) {
  const requests: HostileRequest[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    if (skip(template)) continue;
    for (const [method, operation] of Object.entries(methods)) {
      const caller = callerOf(operation);
      if (!caller) continue;
      const verb = method.toUpperCase();
      const parameters = (operation.parameters ?? [])
        .map((parameter) => resolve(document, parameter))
        .filter((parameter): parameter is Parameter => parameter !== undefined);
      const pathParams = parameters.filter((parameter) => parameter.in === "path");
      const queryParams = parameters.filter((parameter) => parameter.in === "query");
      const fill = (values: Record<string, string> = {}) =>
        template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? `${name}_missing0001`));
      const schema = resolve(document, operation.requestBody?.content?.["application/json"]?.schema);
      const base = schema ? (plausible(document, schema) as Record<string, unknown>) : undefined;
      const body = base ? JSON.stringify(base) : undefined;

      for (const parameter of pathParams) {
        for (const value of HOSTILE_STRINGS.filter((value) => value !== "")) {
          requests.push({
            method: verb,
            path: fill({ [parameter.name]: value }),
            caller,
            ...(body ? { body } : {}),
            probe: `path ${parameter.name}=${value.slice(0, 40)}`,
          });
        }
      }
      for (const parameter of queryParams) {
        const forms = [
          ...HOSTILE_STRINGS.map((value) => `${encodeURIComponent(parameter.name)}=${encodeURIComponent(value)}`),
          `${encodeURIComponent(parameter.name)}=1&${encodeURIComponent(parameter.name)}=2`,
          `${encodeURIComponent(`${parameter.name}[x]`)}=1`,
        ];
        for (const form of forms) {
          requests.push({ method: verb, path: `${fill()}?${form}`, caller, probe: `query ${form.slice(0, 60)}` });
        }
      }
      if (!schema || !base) continue;
      for (const raw of HOSTILE_BODIES) {
        requests.push({ method: verb, path: fill(), caller, body: raw, probe: `body ${raw.slice(0, 30)}` });
      }
      for (const name of Object.keys(resolve(document, schema)?.properties ?? {})) {
        for (const value of HOSTILE_VALUES) {
          requests.push({
            method: verb,
            path: fill(),
            caller,
            body: JSON.stringify({ ...base, [name]: value }),
            probe: `body ${name}=${JSON.stringify(value).slice(0, 40)}`,
          });
        }
      }
    }
  }
  return requests;
}

/** Paths whose refusals are pages or NPCI XML, not the API's JSON: the browser's and the UPI switch's own. */
const OWN_FORMATS = ["/checkout/", "/wallet/", "/network/upi/", "/dashboard"];

/** Why an answer is not the API's own answer to bad input, or null when it is. */
export function wrongAnswer(answer: Answer, path: string): string | null {
  if (answer.status >= 500) {
    // A dependency that is down (the vault, a processor's report) is a 502/503 of its own code.
    const code = errorCode(answer.text);
    if (answer.status === 500 || code === null || code === "internal_error") {
      return `${answer.status} ${answer.text.slice(0, 200)}`;
    }
    return null;
  }
  if (answer.status >= 400 && !OWN_FORMATS.some((prefix) => path.startsWith(prefix))) {
    if (!answer.contentType.includes("json")) return `${answer.status} is not JSON: ${answer.contentType}`;
    if (errorCode(answer.text) === null) return `${answer.status} names no error code: ${answer.text.slice(0, 200)}`;
  }
  return null;
}

function errorCode(text: string): string | null {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === "string" ? code : null;
  } catch {
    return null;
  }
}
