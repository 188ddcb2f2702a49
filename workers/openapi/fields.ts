import { z } from "zod";

/** Building blocks of the response schemas; request schemas live beside their routes. */
export const unixSeconds = z.number().int().describe("Unix time in seconds.");
export const minorUnits = z.number().int().describe("Integer amount in the currency's minor unit (cents for usd).");
export const currencyCode = z
  .string()
  .regex(/^[a-z]{3}$/)
  .describe("ISO 4217 code, lower case.");
export const metadata = z.record(z.string(), z.string()).describe("Your own key-value pairs, echoed back.");
export const livemode = z.boolean().describe("true for live-mode objects, false for test mode.");
export const optimisticVersion = z.number().int().min(1).describe("Increases by one on every change.");

/** A resource schema with its component name, for `components.schemas`. */
export function resource<S extends z.ZodType>(name: string, schema: S, description: string): S {
  return schema.meta({ id: name, description });
}

/** An object id: its type's prefix, an underscore, then letters and digits (`pay_...`, `evt_...`). */
export const prefixedId = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9A-Za-z]+$`));
