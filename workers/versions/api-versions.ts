import { paymentCustomerRename } from "./changes/2026-11-25-payment-customer.js";
import type { VersionChange } from "./version-change.js";

/**
 * The dated API versions, oldest first. A version is named for the day its changes shipped;
 * a merchant stays on the version it was created with until it moves (PATCH /v1/merchant), and
 * any request may pin one with `Api-Version`. The core code speaks only the latest version;
 * older ones exist purely as transformations (./transform.ts), Stripe's model.
 */
export const API_VERSIONS = ["2026-11-01", "2026-11-25"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** The version this gateway launched with: every merchant created before versioning is on it. */
export const LAUNCH_API_VERSION: ApiVersion = "2026-11-01";
export const LATEST_API_VERSION: ApiVersion = "2026-11-25";

/** Every breaking change, oldest first; each one names the version that introduced it. */
export const API_VERSION_CHANGES: readonly VersionChange[] = [paymentCustomerRename];

export function isApiVersion(value: string): value is ApiVersion {
  return (API_VERSIONS as readonly string[]).includes(value);
}
