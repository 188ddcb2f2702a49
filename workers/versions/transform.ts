import { API_VERSION_CHANGES, type ApiVersion, LATEST_API_VERSION } from "./api-versions.js";
import type { VersionChange } from "./version-change.js";

type Json = Record<string, unknown>;

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

function downgradeValue(value: unknown, changes: readonly VersionChange[]): unknown {
  if (Array.isArray(value)) return value.map((item) => downgradeValue(item, changes));
  if (value === null || typeof value !== "object") return value;
  let object: Json = Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, downgradeValue(inner, changes)]),
  );
  const kind = object.object;
  if (typeof kind === "string") {
    for (const change of changes) object = change.downgradeResource?.[kind]?.(object) ?? object;
  }
  return object;
}

/** A latest-shape answer as a client on `version` expects it: newer changes undone, newest first. */
export function downgradeResponse(version: ApiVersion, body: unknown): unknown {
  if (version === LATEST_API_VERSION) return body;
  const changes = API_VERSION_CHANGES.filter(newerThan(version)).reverse();
  const downgraded = downgradeValue(body, changes) as Json;
  const error = downgraded.error as Json | undefined;
  if (error && typeof error.param === "string") {
    let param = error.param;
    for (const change of changes) param = change.renamedParams?.[param] ?? param;
    downgraded.error = { ...error, param };
  }
  return downgraded;
}
