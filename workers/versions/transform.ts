import { API_VERSION_CHANGES, type ApiVersion, LATEST_API_VERSION } from "./api-versions.js";
import type { VersionChange } from "./version-change.js";

type Json = Record<string, unknown>;
type ResourceMap = Partial<Record<string, (resource: Json) => Json>> | undefined;

/** Dated names compare as strings (YYYY-MM-DD). */
const newerThan = (version: ApiVersion) => (change: VersionChange) => change.version > version;

/** An old request body in the latest shape: each newer change upgrades it, oldest first. */
export function upgradeRequest(version: ApiVersion, method: string, path: string, body: Json): Json {
  if (version === LATEST_API_VERSION) return body;
  return API_VERSION_CHANGES.filter(newerThan(version)).reduce(
    (current, change) => change.upgradeRequest?.(method, path, current) ?? current,
    body,
  );
}

/** Applies each change's resource function to every object (by `object`) in `value`, depth first. */
function mapResources(value: unknown, maps: ResourceMap[]): unknown {
  if (Array.isArray(value)) return value.map((item) => mapResources(item, maps));
  if (value === null || typeof value !== "object") return value;
  let object: Json = Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, mapResources(inner, maps)]));
  const kind = object.object;
  if (typeof kind === "string") for (const map of maps) object = map?.[kind]?.(object) ?? object;
  return object;
}

/**
 * A stored object (an event's snapshot, a replayed answer) in the latest shape, whatever version
 * was current when it was written: every change's stored-resource upgrade, oldest first.
 */
export function upgradeStored<T>(value: T): T {
  return mapResources(
    value,
    API_VERSION_CHANGES.map((change) => change.upgradeStoredResource),
  ) as T;
}

/** A latest-shape answer as a client on `version` expects it: newer changes undone, newest first. */
export function downgradeResponse(version: ApiVersion, body: unknown): unknown {
  if (version === LATEST_API_VERSION || body === null || typeof body !== "object") return body;
  const changes = API_VERSION_CHANGES.filter(newerThan(version)).reverse();
  const downgraded = mapResources(
    body,
    changes.map((change) => change.downgradeResource),
  ) as Json;
  const error = downgraded.error as Json | undefined;
  // An unknown parameter is named as sent; the others by the name this version knows.
  if (error && typeof error.param === "string" && error.code !== "parameter_unknown") {
    let param = error.param;
    let message = typeof error.message === "string" ? error.message : undefined;
    for (const change of changes) {
      const old = change.renamedParams?.[param];
      if (!old) continue;
      message = message?.replace(new RegExp(`\\b${param}\\b`, "g"), old);
      param = old;
    }
    downgraded.error = { ...error, param, ...(message === undefined ? {} : { message }) };
  }
  return downgraded;
}
