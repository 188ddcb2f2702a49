import { z } from "zod";
import { CARD_BRANDS } from "../../common/card-brands.js";
import { isCurrency } from "../../common/currencies.js";
import { CARD_PROCESSOR_IDS, PROCESSOR_IDS } from "../../common/processor-registry.js";
import { freeText } from "../validation/free-text.js";
import { PLATFORM_DEFAULT } from "./routing-config.js";

export const MAX_RULES = 50;

const processorId = z.enum(PROCESSOR_IDS);

const currency = z
  .string()
  .meta({ description: "ISO 4217 code, either case.", examples: ["usd"] })
  .transform((value) => value.toUpperCase())
  .refine(isCurrency, { message: "must be an ISO 4217 currency code (usd, eur, inr, ...)" });

const country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as US")
  .transform((value) => value.toUpperCase());

/** Amounts are integers in the currency's minor unit (DESIGN invariant 1). */
const amount = z.number().int().min(0).max(99_999_999);

/** A list whose entries must differ; a repeat is named by its index (`brands[2]`). */
function distinct<T extends z.ZodType>(item: T, max: number) {
  return z
    .array(item)
    .min(1)
    .max(max)
    .superRefine((items, ctx) => {
      items.forEach((value, index) => {
        if (items.indexOf(value) !== index) ctx.addIssue({ code: "custom", path: [index], message: "is listed twice" });
      });
    });
}

const metadataCondition = z
  .record(z.string().min(1).max(40), freeText(500))
  .refine((value) => Object.keys(value).length >= 1 && Object.keys(value).length <= 20, {
    message: "must hold between 1 and 20 keys",
  });

const conditions = z
  .strictObject({
    method: z.literal("card").optional(),
    brands: distinct(z.enum(CARD_BRANDS), CARD_BRANDS.length).optional(),
    issuer_countries: distinct(country, 250).optional(),
    region: z.enum(["domestic", "international"]).optional(),
    currencies: distinct(currency, 50).optional(),
    amount_gte: amount.optional(),
    amount_lte: amount.optional(),
    metadata: metadataCondition.optional(),
  })
  .superRefine((value, ctx) => {
    if (Object.keys(value).length === 0) {
      ctx.addIssue({ code: "custom", message: "needs at least one condition; `default` routes what no rule matches" });
    }
    if (value.amount_gte !== undefined && value.amount_lte !== undefined && value.amount_gte > value.amount_lte) {
      ctx.addIssue({ code: "custom", path: ["amount_lte"], message: "must be at least amount_gte" });
    }
    // 1000 is $10.00 but ¥1000: a bound means nothing without its currency.
    const bound = value.amount_gte !== undefined ? "amount_gte" : value.amount_lte !== undefined ? "amount_lte" : null;
    if (bound && value.currencies === undefined) {
      ctx.addIssue({
        code: "custom",
        path: [bound],
        message: "needs a `currencies` condition beside it (minor units differ)",
      });
    }
  });

const split = z.strictObject({ processor: processorId, weight: z.number().int().positive().max(1_000_000) });

const route = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("priority"), processors: distinct(processorId, PROCESSOR_IDS.length) }),
  z.strictObject({
    type: z.literal("volume_split"),
    splits: z
      .array(split)
      .min(1)
      .max(PROCESSOR_IDS.length)
      .superRefine((splits, ctx) => {
        splits.forEach(({ processor }, index) => {
          if (splits.findIndex((other) => other.processor === processor) !== index) {
            ctx.addIssue({ code: "custom", path: [index, "processor"], message: "is listed twice" });
          }
        });
      }),
  }),
  z.strictObject({
    type: z.literal("cheapest_first"),
    processors: distinct(processorId, PROCESSOR_IDS.length).optional(),
  }),
  z.strictObject({
    type: z.literal("success_rate"),
    processors: distinct(processorId, PROCESSOR_IDS.length).optional(),
    hedge: z
      .number()
      .min(0)
      .max(0.5)
      .optional()
      .describe("Share of decisions where the runner-up goes first; default 0.05."),
  }),
]);

const rule = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "must be 1-64 letters, digits, `_`, `.` or `-`")
    .refine((name) => name !== "default", { message: "`default` names the route no rule matched" }),
  conditions,
  route,
});

const rules = z
  .array(rule)
  .max(MAX_RULES)
  .superRefine((list, ctx) => {
    list.forEach(({ name }, index) => {
      if (list.findIndex((other) => other.name === name) !== index) {
        ctx.addIssue({ code: "custom", path: [index, "name"], message: "is already the name of an earlier rule" });
      }
    });
  });

const configShape = {
  rules: rules.default([]).describe("Tried in order; the first whose conditions all hold routes the payment."),
  default: route.default(PLATFORM_DEFAULT.default).describe("The route when no rule matches."),
  disabled: z
    .array(processorId)
    .max(PROCESSOR_IDS.length - 1, "must leave at least one processor enabled")
    // Cards have several processors to choose from; disabling all of them leaves none for cards.
    .refine((disabled) => CARD_PROCESSOR_IDS.some((processor) => !disabled.includes(processor)), {
      message: "must leave at least one card processor enabled",
    })
    .default([])
    .describe("Processors that never receive a payment, whatever the rules say."),
  max_attempts: z
    .number()
    .int()
    .min(1)
    .max(PROCESSOR_IDS.length)
    .optional()
    .describe("Processors one payment may try, failovers included (each at most once); 3 when left out."),
};

/** `PUT /v1/routing`: the whole configuration (fields left out take the platform default's). */
export const putRoutingSchema = z.strictObject({
  ...configShape,
  expected_version: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("The version you read; the change is refused (409) if the stored one differs. 0: none stored yet."),
});

/** `POST /v1/routing/simulate`: a hypothetical card payment. */
export const simulateRoutingSchema = z.strictObject({
  amount: amount.positive(),
  currency,
  brand: z.enum(CARD_BRANDS),
  issuer_country: country.optional().describe("The card's issuing country (from its BIN); unknown when left out."),
  metadata: z.record(z.string().max(40), freeText(500)).optional(),
  draw: z.number().min(0).lt(1).optional().describe("Where the payment lands in a volume split; random when left out."),
  hedge_draw: z
    .number()
    .min(0)
    .lt(1)
    .optional()
    .describe("Compared with a success-rate route's hedge; random when left out."),
});

export type PutRoutingInput = z.output<typeof putRoutingSchema>;
export type SimulateRoutingInput = z.output<typeof simulateRoutingSchema>;
