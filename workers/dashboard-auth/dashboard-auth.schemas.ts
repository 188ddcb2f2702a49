import { z } from "zod";
import { DASHBOARD_ROLES } from "../../db/schema/index.js";
import { prefixedId } from "../openapi/fields.js";

/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254. */
const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((value) => value.toLowerCase())
  .describe("The user's email address (compared case-insensitively).");

/**
 * NIST SP 800-63B §5.1.1.2: at least 8 characters (12 here, OWASP ASVS 2.1.1), and a generous
 * maximum (ASVS 2.1.2 asks at least 64) that bounds the hashing work a request can ask for.
 */
const password = z.string().min(12).max(128).describe("12 to 128 characters.");

const totpCode = z
  .string()
  .regex(/^\d{6}$/, "must be the 6-digit code from the authenticator app")
  .describe("The 6-digit code from the user's authenticator app.");

export const signInSchema = z.strictObject({
  email,
  password: z.string().min(1).max(128),
  totp: totpCode.optional(),
  merchant: prefixedId("acct")
    .optional()
    .describe("The merchant to sign in to, when the email has a user at more than one."),
});

export const modeSchema = z.strictObject({ mode: z.enum(["test", "live"]) });

export const totpCodeSchema = z.strictObject({ code: totpCode });

export const changePasswordSchema = z.strictObject({
  current_password: z.string().min(1).max(128),
  new_password: password,
});

export const createUserSchema = z.strictObject({ email, password, role: z.enum(DASHBOARD_ROLES) });

export const updateUserSchema = z.strictObject({ role: z.enum(DASHBOARD_ROLES) });
