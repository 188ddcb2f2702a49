import type { ApiVersion } from "./api-versions.js";

type Json = Record<string, unknown>;

/**
 * One breaking change, and how to hide it from clients on an earlier version: requests are
 * upgraded to the new shape before validation, answers downgraded after. Resources are matched
 * by their `object` field wherever they appear (a payment inside an event, a list, an error).
 */
export interface VersionChange {
  /** The first version with the change; clients on any earlier version get the old shape. */
  version: ApiVersion;
  /** One line for the changelog in the OpenAPI document. */
  description: string;
  /** Old request body -> new, for the routes the change touches; may refuse (ApiError). */
  upgradeRequest?: (method: string, path: string, body: Json) => Json;
  /** New resource -> old, keyed by the resource's `object`. */
  downgradeResource?: Partial<Record<string, (resource: Json) => Json>>;
  /**
   * Old resource -> new, for objects stored before the change shipped (event snapshots,
   * idempotent replies): they are brought to the latest shape before any downgrade.
   */
  upgradeStoredResource?: Partial<Record<string, (resource: Json) => Json>>;
  /** New parameter name -> old, so a validation error names the parameter the client sent. */
  renamedParams?: Record<string, string>;
  /** The OpenAPI document of the version before: edits a copy of the newer one in place. */
  downgradeDocument?: (document: Json) => void;
}

/** Renames a property of a JSON Schema object (`properties` and `required`), in place of order. */
export function renameSchemaProperty(schema: unknown, from: string, to: string): void {
  const object = schema as { properties?: Json; required?: string[] } | undefined;
  if (!object?.properties) throw new Error(`no properties to rename ${from} in`);
  object.properties = renameKey(object.properties, from, to);
  object.required = object.required?.map((name) => (name === from ? to : name));
}

/** Renames one key in place of order (answers keep their field order across versions). */
export function renameKey(object: Json, from: string, to: string): Json {
  if (!(from in object) || to in object) return object;
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key === from ? to : key, value]));
}
