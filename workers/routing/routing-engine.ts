import type { ProcessorId } from "../../common/processor-registry.js";
import { type Skipped, sortOutEligible } from "./eligibility.js";
import { isDemoted } from "./health-snapshot.js";
import { orderByRoute } from "./route-order.js";
import type { Route, RoutingConfig } from "./routing-config.js";
import type { RoutingContext, RoutingPayment } from "./routing-payment.js";
import { matches } from "./rule-match.js";

/**
 * The router's answer for one payment: the processors to try, in order (the payment object walks
 * the list on failover), the rule that chose the order, and why the others were left out. Stored
 * on each attempt, so a merchant can see why a payment went where it went.
 */
export interface RoutingDecision {
  /** The matching rule's name, or `default`. */
  rule: string;
  /** Only processors that can take the payment now; empty when none can. */
  candidates: ProcessorId[];
  skipped: Skipped[];
  explanation: string;
}

/**
 * Decides where a payment goes (the seed's card router): pure and synchronous, no I/O; health and
 * configuration arrive as arguments. Stages: drop the processors that cannot take the payment,
 * find the first rule whose conditions all hold (else the default), order its processors, append
 * the eligible processors it did not name, in registry order, as the last resort, and move the
 * processors health demoted (authorization rate under its floor) behind all the others.
 */
export function decide(config: RoutingConfig, payment: RoutingPayment, context: RoutingContext): RoutingDecision {
  const { eligible, skipped } = sortOutEligible(payment, config.disabled, context);
  let rule = "default";
  let route: Route = config.default;
  for (const candidate of config.rules) {
    if (matches(candidate.conditions, payment)) {
      rule = candidate.name;
      route = candidate.route;
      break;
    }
  }
  const { order, why } = orderByRoute(route, eligible, payment, context);
  const lastResort = eligible.filter((processor) => !order.includes(processor));
  let candidates = lastResort.length === 0 ? order : [...order, ...lastResort];
  const demoted = candidates.filter((processor) => isDemoted(context.health, processor));
  if (demoted.length > 0) candidates = [...candidates.filter((processor) => !demoted.includes(processor)), ...demoted];
  return {
    rule,
    candidates,
    skipped,
    explanation: explain(rule, why, skipped, lastResort, demoted, candidates.length),
  };
}

function explain(
  rule: string,
  why: string,
  skipped: readonly Skipped[],
  lastResort: readonly ProcessorId[],
  demoted: readonly ProcessorId[],
  candidates: number,
): string {
  let text = rule === "default" ? "No rule matched; the default route applies." : `Rule "${rule}" matched.`;
  text += ` ${why}`;
  if (skipped.length > 0) {
    text += ` Skipped: ${skipped.map(({ processor, reason }) => `${processor} (${reason})`).join(", ")}.`;
  }
  if (lastResort.length > 0) text += ` Last resort, not named by the route: ${lastResort.join(", ")}.`;
  if (demoted.length > 0) text += ` Demoted by health, tried last: ${demoted.join(", ")}.`;
  if (candidates === 0) text += " No processor can take this payment.";
  return text;
}
