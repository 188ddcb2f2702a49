import type { ApiKeyRow } from "./api-keys.repository.js";

const seconds = (date: Date | null) => (date ? Math.floor(date.getTime() / 1000) : null);

function status(row: ApiKeyRow, now: number): "active" | "expiring" | "expired" | "revoked" {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt) return row.expiresAt.getTime() <= now ? "expired" : "expiring";
  return "active";
}

/** The API's `api_key` object. The key itself appears only as `secret`, once, when issued. */
export function apiKeyView(row: ApiKeyRow, secret?: string) {
  const prefix = `${row.type === "secret" ? "sk" : "pk"}_${row.livemode ? "live" : "test"}_`;
  return {
    id: row.id,
    object: "api_key" as const,
    type: row.type,
    livemode: row.livemode,
    name: row.name,
    redacted: `${prefix}...${row.last4}`,
    allowed_ips: row.allowedIps,
    status: status(row, Date.now()),
    created: seconds(row.createdAt),
    expires_at: seconds(row.expiresAt),
    revoked_at: seconds(row.revokedAt),
    rolled_to: row.rolledToId,
    ...(secret === undefined ? {} : { secret }),
  };
}
