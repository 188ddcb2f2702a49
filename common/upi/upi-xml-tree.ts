import { XMLParser, XMLValidator } from "fast-xml-parser";
import { isUpiText, MAX_UPI_MESSAGE_BYTES, UPI_NAMESPACE } from "./upi-fields.js";
import { UpiWireError } from "./upi-wire-error.js";

/**
 * The XML layer under decodeUpi: the document checked and parsed into a tree of attribute maps,
 * and the strict accessors the decoder reads it with. Every refusal is a UpiWireError.
 */

/** An element: its attributes as `@_name` strings, its children as lists by name. */
export type Node = Record<string, unknown>;

/**
 * Attributes only, values as strings, every element a list (so a repeated <Head> is seen, not
 * merged), the five predefined entities decoded and nothing else (no HTML entities; DOCTYPE is
 * refused before the parser runs, so no entity can be declared).
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseAttributeValue: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

export const fail = (message: string): never => {
  throw new UpiWireError(message);
};

export function nodes(parent: Node, name: string): Node[] {
  if (!Object.hasOwn(parent, name)) return [];
  const value = parent[name];
  if (!Array.isArray(value)) return fail(`<${name}> is not an element`);
  // An element with no attributes and no children parses as "" (or its text): no attributes.
  return value.map((item) => (typeof item === "object" && item !== null && !Array.isArray(item) ? (item as Node) : {}));
}

export function optionalOne(parent: Node, name: string): Node | undefined {
  const found = nodes(parent, name);
  if (found.length > 1) fail(`more than one <${name}>`);
  return found[0];
}

export function one(parent: Node, name: string): Node {
  return optionalOne(parent, name) ?? fail(`<${name}> is missing`);
}

export function attr(node: Node, element: string, name: string, valid: (value: string) => boolean): string | undefined {
  const key = `@_${name}`;
  if (!Object.hasOwn(node, key)) return undefined;
  const value = node[key];
  if (typeof value !== "string" || !valid(value)) return fail(`<${element}> ${name} is not valid`);
  return value;
}

export function required(node: Node, element: string, name: string, valid: (value: string) => boolean): string {
  return attr(node, element, name, valid) ?? fail(`<${element}> needs ${name}`);
}

export const matches = (pattern: RegExp) => (value: string) => pattern.test(value);
export const oneOf =
  <T extends string>(...values: T[]) =>
  (value: string): value is T =>
    (values as string[]).includes(value);
export const text = (max: number) => (value: string) => isUpiText(value, max);

/** Drops absent optional fields, so decoded objects compare equal to the ones encoded. */
export function present<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The root element of one UPI message, and its API (the root's local name). */
export function parseUpiXml(xml: string): { api: string; root: Node } {
  if (typeof xml !== "string") fail("not text");
  if (xml.length > MAX_UPI_MESSAGE_BYTES || new TextEncoder().encode(xml).byteLength > MAX_UPI_MESSAGE_BYTES) {
    fail("message too large");
  }
  // No DTDs: they are how entity expansion (billion laughs) and external entities (XXE) get in.
  if (/<!(DOCTYPE|ENTITY)/i.test(xml)) fail("DOCTYPE and entity declarations are refused");
  if (XMLValidator.validate(xml, { allowBooleanAttributes: false }) !== true) fail("not well-formed XML");
  const document = parser.parse(xml) as Node;
  const names = Object.keys(document);
  const rootName = names[0];
  if (names.length !== 1 || rootName === undefined) return fail("exactly one root element");
  const root = one(document, rootName);
  const colon = rootName.indexOf(":");
  const api = colon < 0 ? rootName : rootName.slice(colon + 1);
  const namespaceAttr = colon < 0 ? "xmlns" : `xmlns:${rootName.slice(0, colon)}`;
  if (attr(root, api, namespaceAttr, () => true) !== UPI_NAMESPACE) fail(`the root is not in ${UPI_NAMESPACE}`);
  return { api, root };
}
