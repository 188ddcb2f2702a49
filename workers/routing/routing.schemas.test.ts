import { describe, expect, it } from "vitest";
import { zodProblem } from "../../common/request-params.js";
import { MAX_RULES, putRoutingSchema } from "./routing.schemas.js";
import { PLATFORM_DEFAULT } from "./routing-config.js";

const rule = (overrides: Record<string, unknown> = {}) => ({
  name: "usd-visa",
  conditions: { brands: ["visa"], currencies: ["usd"] },
  route: { type: "priority", processors: ["acquirer_b"] },
  ...overrides,
});

/** The problem a body has, as the API would name it (or null when it is valid). */
function problem(body: Record<string, unknown>) {
  const parsed = putRoutingSchema.safeParse(body);
  return parsed.success ? null : zodProblem(parsed.error, body);
}

describe("routing config validation", () => {
  it("fills what is left out with the platform default, and upper-cases codes", () => {
    expect(putRoutingSchema.parse({})).toEqual(PLATFORM_DEFAULT);
    const parsed = putRoutingSchema.parse({
      rules: [rule({ conditions: { currencies: ["usd"], issuer_countries: ["gb"] } })],
    });
    expect(parsed.rules[0]!.conditions).toEqual({ currencies: ["USD"], issuer_countries: ["GB"] });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      "a processor not in the registry",
      { rules: [rule({ route: { type: "priority", processors: ["acquirer_b", "acquirer_z"] } })] },
      "rules[0][route][processors][1]",
      "parameter_invalid",
    ],
    [
      "a processor listed twice",
      { default: { type: "priority", processors: ["acquirer_a", "acquirer_a"] } },
      "default[processors][1]",
      "parameter_invalid",
    ],
    ["an unknown route type", { default: { type: "random" } }, "default[type]", "parameter_invalid"],
    [
      "a zero weight",
      { default: { type: "volume_split", splits: [{ processor: "acquirer_a", weight: 0 }] } },
      "default[splits][0][weight]",
      "parameter_invalid",
    ],
    [
      "a fractional weight",
      { default: { type: "volume_split", splits: [{ processor: "acquirer_a", weight: 1.5 }] } },
      "default[splits][0][weight]",
      "parameter_invalid",
    ],
    [
      "a split processor listed twice",
      {
        default: {
          type: "volume_split",
          splits: [
            { processor: "acquirer_a", weight: 1 },
            { processor: "acquirer_a", weight: 2 },
          ],
        },
      },
      "default[splits][1][processor]",
      "parameter_invalid",
    ],
    [
      "a fractional amount bound",
      { rules: [rule({ conditions: { currencies: ["usd"], amount_gte: 10.5 } })] },
      "rules[0][conditions][amount_gte]",
      "parameter_invalid",
    ],
    [
      "amount_gte above amount_lte",
      { rules: [rule({ conditions: { currencies: ["usd"], amount_gte: 500, amount_lte: 100 } })] },
      "rules[0][conditions][amount_lte]",
      "parameter_invalid",
    ],
    [
      "an amount bound without its currency",
      { rules: [rule({ conditions: { amount_lte: 100 } })] },
      "rules[0][conditions][amount_lte]",
      "parameter_invalid",
    ],
    [
      "a rule with no condition",
      { rules: [rule(), rule({ name: "all", conditions: {} })] },
      "rules[1][conditions]",
      "parameter_invalid",
    ],
    [
      "an unknown condition",
      { rules: [rule({ conditions: { bin: "411111" } })] },
      "rules[0][conditions][bin]",
      "parameter_unknown",
    ],
    [
      "a bad region",
      { rules: [rule({ conditions: { region: "local" } })] },
      "rules[0][conditions][region]",
      "parameter_invalid",
    ],
    [
      "a bad brand",
      { rules: [rule({ conditions: { brands: ["maestro"] } })] },
      "rules[0][conditions][brands][0]",
      "parameter_invalid",
    ],
    [
      "a bad currency",
      { rules: [rule({ conditions: { currencies: ["usd", "xyz"] } })] },
      "rules[0][conditions][currencies][1]",
      "parameter_invalid",
    ],
    [
      "a bad country",
      { rules: [rule({ conditions: { issuer_countries: ["USA"] } })] },
      "rules[0][conditions][issuer_countries][0]",
      "parameter_invalid",
    ],
    ["two rules of one name", { rules: [rule(), rule({ name: "eu" }), rule()] }, "rules[2][name]", "parameter_invalid"],
    ["a rule named default", { rules: [rule({ name: "default" })] }, "rules[0][name]", "parameter_invalid"],
    [
      "a rule without a route",
      { rules: [{ name: "x", conditions: { method: "card" } }] },
      "rules[0][route]",
      "parameter_missing",
    ],
    [
      `more than ${MAX_RULES} rules`,
      { rules: Array.from({ length: MAX_RULES + 1 }, (_, i) => rule({ name: `r${i}` })) },
      "rules",
      "parameter_invalid",
    ],
    [
      "every processor disabled",
      { disabled: ["acquirer_a", "acquirer_b", "aggregator"] },
      "disabled",
      "parameter_invalid",
    ],
    ["a hedge over one half", { default: { type: "success_rate", hedge: 0.6 } }, "default[hedge]", "parameter_invalid"],
    ["a negative expected version", { expected_version: -1 }, "expected_version", "parameter_invalid"],
  ])("refuses %s, naming the param", (_case, body, param, code) => {
    expect(problem(body)).toMatchObject({ param, code });
  });

  it(`accepts ${MAX_RULES} rules, each kind of route and every condition`, () => {
    const rules = Array.from({ length: MAX_RULES }, (_, i) => rule({ name: `r${i}` }));
    rules[0] = rule({
      name: "everything",
      conditions: {
        method: "card",
        brands: ["visa", "mastercard"],
        issuer_countries: ["US"],
        region: "domestic",
        currencies: ["USD"],
        amount_gte: 0,
        amount_lte: 100,
        metadata: { tier: "gold" },
      },
      route: { type: "success_rate", processors: ["acquirer_a", "acquirer_b"], hedge: 0.1 },
    });
    rules[1] = rule({ name: "cheap", route: { type: "cheapest_first" } });
    rules[2] = rule({
      name: "split",
      route: { type: "volume_split", splits: [{ processor: "aggregator", weight: 3 }] },
    });
    expect(problem({ rules, disabled: ["aggregator"], expected_version: 0 })).toBeNull();
  });
});
