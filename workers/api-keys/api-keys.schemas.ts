import { z } from "zod";
import { parseCidr } from "../../common/cidr.js";

const cidr = z.string().refine((value) => parseCidr(value) !== null, {
  message: "must be an IPv4 or IPv6 address or CIDR block with zero host bits (203.0.113.0/24, 2001:db8::/32)",
});

export const createApiKeySchema = z.strictObject({
  type: z.enum(["secret", "publishable"]),
  name: z.string().trim().min(1).max(100).optional(),
  allowed_ips: z.array(cidr).max(50).optional(),
});

/** Ops may also choose the mode; a merchant's new key takes the mode of the key that made it. */
export const opsCreateApiKeySchema = createApiKeySchema.extend({ livemode: z.boolean().optional() });

/** Stripe lets the old key live up to 7 days after a roll; so do we. */
export const MAX_ROLL_OVERLAP_SECONDS = 7 * 24 * 3600;

export const rollApiKeySchema = z.strictObject({
  expires_in_seconds: z.number().int().min(0).max(MAX_ROLL_OVERLAP_SECONDS).optional(),
});

export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  starting_after: z.string().min(1).optional(),
});

/** Action routes take no parameters; anything sent is an unknown parameter. */
export const emptyBodySchema = z.strictObject({});
