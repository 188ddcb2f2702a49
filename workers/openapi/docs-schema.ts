type Schema = Record<string, unknown>;

/** HTML-escapes text from the document (descriptions are ours, but escape anyway). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The document's small Markdown subset: `code`, **bold**, and `- ` lists. */
export function markdown(text: string): string {
  const inline = (line: string) =>
    escapeHtml(line)
      .replace(/`([^`]+)`/g, "<code>$1</code>")
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
  const items = text.split("\n");
  let html = "";
  let inList = false;
  for (const line of items) {
    const item = /^- (.*)$/.exec(line);
    if (item && !inList) html += "<ul>";
    if (!item && inList) html += "</ul>";
    inList = Boolean(item);
    if (item) html += `<li>${inline(item[1] ?? "")}</li>`;
    else if (line.trim()) html += `<p>${inline(line)}</p>`;
  }
  return inList ? `${html}</ul>` : html;
}

const refName = (ref: string) => ref.split("/").pop() ?? ref;
export const schemaAnchor = (name: string) => `schema-${name}`;

/** A one-line type: `string`, `integer ≥ 1`, `Payment[]` (linked), `"a" | "b"`, `… | null`. */
export function typeLabel(schema: Schema): string {
  if (typeof schema.$ref === "string") {
    const name = refName(schema.$ref);
    return `<a href="#${schemaAnchor(name)}">${escapeHtml(name)}</a>`;
  }
  const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (union) return union.map(typeLabel).join(" | ");
  if ("const" in schema) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  if (Array.isArray(schema.enum))
    return schema.enum.map((v) => `<code>${escapeHtml(JSON.stringify(v))}</code>`).join(" | ");
  if (schema.type === "array") return `${typeLabel((schema.items ?? {}) as Schema)}[]`;
  if (schema.type === "object" && !schema.properties) {
    const values = schema.additionalProperties as Schema | undefined;
    return values && typeof values === "object" ? `map of ${typeLabel(values)}` : "object";
  }
  return escapeHtml(String(schema.type ?? "any"));
}

/** Limits worth telling a developer: lengths, ranges, patterns, defaults. */
export function constraints(schema: Schema): string {
  const parts: string[] = [];
  if (typeof schema.minimum === "number") parts.push(`≥ ${schema.minimum}`);
  if (typeof schema.exclusiveMinimum === "number") parts.push(`> ${schema.exclusiveMinimum}`);
  if (typeof schema.maximum === "number") parts.push(`≤ ${schema.maximum}`);
  if (typeof schema.minLength === "number") parts.push(`min length ${schema.minLength}`);
  if (typeof schema.maxLength === "number") parts.push(`max length ${schema.maxLength}`);
  if (typeof schema.maxItems === "number") parts.push(`at most ${schema.maxItems} items`);
  if (typeof schema.pattern === "string") parts.push(`matches <code>${escapeHtml(schema.pattern)}</code>`);
  if ("default" in schema) parts.push(`default <code>${escapeHtml(JSON.stringify(schema.default))}</code>`);
  return parts.join(", ");
}

/** An object schema as a table of its fields (nested objects indented by their dotted name). */
export function fieldsTable(schema: Schema, prefix = ""): string {
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (!properties) return `<p class="type">${typeLabel(schema)}</p>`;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const rows = Object.entries(properties).map(([name, field]) => {
    const nested = field.type === "object" && field.properties ? fieldsTable(field, `${prefix}${name}.`) : "";
    const notes = [field.description ? escapeHtml(String(field.description)) : "", constraints(field)]
      .filter(Boolean)
      .join(" · ");
    return `<tr><td><code>${escapeHtml(prefix + name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ""}</td><td>${typeLabel(field)}</td><td>${notes}</td></tr>${nested ? `<tr><td colspan="3">${nested}</td></tr>` : ""}`;
  });
  return `<table class="fields"><tbody>${rows.join("")}</tbody></table>`;
}
