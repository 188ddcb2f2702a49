/**
 * The one byte form of a JSON value that the audit chain hashes: RFC 8785 (JSON Canonicalization
 * Scheme) for the values audit entries and chain headers hold. Object members sorted by their
 * names' UTF-16 code units (§3.2.3, which is what `Array.prototype.sort` compares), no whitespace
 * (§3.2.1), strings and numbers as ECMAScript's JSON.stringify writes them (§3.2.2.2, §3.2.2.3),
 * members whose value is `undefined` left out (as JSON.stringify does). Anything JSON cannot carry
 * (NaN, Infinity, a function, a bigint) throws: hashing it would pin down nothing.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no ${value}`);
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
      const members = Object.entries(value as Record<string, unknown>)
        .filter(([, member]) => member !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${members.map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot carry a ${typeof value}`);
  }
}
