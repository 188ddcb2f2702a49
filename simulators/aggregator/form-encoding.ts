/** A decoded form body: strings, nested objects and arrays, as Stripe's bracket notation builds them. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/**
 * Decodes `application/x-www-form-urlencoded` in Stripe's bracket notation:
 * `metadata[order]=A1` is `{ metadata: { order: "A1" } }`, `expand[0]=x` and `expand[]=x` are
 * arrays (the official clients send the indexed form). The same key twice keeps the last value.
 */
export function decodeForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const path = keyPath(name);
    if (!path) continue;
    let container: FormObject | FormValue[] = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i] as string;
      const last = i === path.length - 1;
      const next: FormValue = last ? value : isIndex(path[i + 1] as string) ? [] : {};
      if (Array.isArray(container)) {
        const index = segment === "" ? container.length : Number(segment);
        const existing = container[index];
        container[index] = last || typeof existing !== "object" ? next : existing;
        if (!last) container = container[index] as FormObject | FormValue[];
      } else {
        const existing = container[segment];
        if (last || typeof existing !== "object") container[segment] = next;
        if (!last) container = container[segment] as FormObject | FormValue[];
      }
    }
  }
  return root;
}

/** `a[b][c]` -> ["a", "b", "c"]; null when the brackets do not pair up. */
function keyPath(name: string): string[] | null {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
  if (!match) return null;
  const rest = [...(match[2] ?? "").matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1] ?? "");
  return [match[1] as string, ...rest];
}

function isIndex(segment: string): boolean {
  return segment === "" || /^\d{1,3}$/.test(segment);
}
