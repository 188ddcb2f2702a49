import { PROCESSOR_IDS, PROCESSOR_REGISTRY, type ProcessorId, processorFee } from "../../common/processor-registry.js";
import { scoreOf } from "./health-snapshot.js";
import { DEFAULT_HEDGE, type Route } from "./routing-config.js";
import { type RoutingContext, type RoutingPayment, regionOf } from "./routing-payment.js";

/** The eligible processors a route names, in its order, and a sentence saying why that order. */
export interface Ordered {
  order: ProcessorId[];
  why: string;
}

const named = (processors: readonly ProcessorId[], eligible: readonly ProcessorId[]): ProcessorId[] =>
  processors.filter((processor) => eligible.includes(processor));

function volumeSplit(
  splits: { processor: ProcessorId; weight: number }[],
  eligible: readonly ProcessorId[],
  draw: number,
): Ordered {
  // Only eligible processors share the draw, so a skipped one's share is spread over the rest.
  const open = splits.filter((split) => eligible.includes(split.processor));
  if (open.length === 0) return { order: [], why: "Volume split: none of its processors is eligible." };
  let total = 0;
  for (const split of open) total += split.weight;
  const target = draw * total;
  let chosen = open[open.length - 1]!;
  let cumulative = 0;
  for (const split of open) {
    cumulative += split.weight;
    if (target < cumulative) {
      chosen = split;
      break;
    }
  }
  // The fallbacks by weight, heaviest first; Array.prototype.sort is stable, so ties keep their listed order.
  const rest = open.filter((split) => split !== chosen).sort((a, b) => b.weight - a.weight);
  return {
    order: [chosen.processor, ...rest.map((split) => split.processor)],
    why: `Volume split: draw ${draw.toFixed(4)} fell on ${chosen.processor} (weight ${chosen.weight} of ${total}); the others follow by weight.`,
  };
}

function cheapestFirst(
  processors: readonly ProcessorId[],
  eligible: readonly ProcessorId[],
  payment: RoutingPayment,
): Ordered {
  // An unknown issuing country is priced as international: the dearer case, never a surprise.
  const region = regionOf(payment) ?? "international";
  const { brand } = payment;
  if (brand === null && payment.method === "card") {
    return { order: [], why: "Cheapest first: the card's brand is unknown." };
  }
  const priced = named(processors, eligible).map((processor) => ({
    processor,
    fee:
      processorFee(PROCESSOR_REGISTRY[processor], { amount: payment.amount, brand, region }) ??
      Number.POSITIVE_INFINITY,
  }));
  priced.sort((a, b) => a.fee - b.fee || (a.processor < b.processor ? -1 : 1));
  const fees = priced.map(({ processor, fee }) => `${processor} ${Number.isFinite(fee) ? fee : "(no fee rule)"}`);
  return {
    order: priced.map(({ processor }) => processor),
    why: `Cheapest first, fees in ${payment.currency} minor units (${region}): ${fees.join(", ")}.`,
  };
}

function successRate(
  processors: readonly ProcessorId[],
  eligible: readonly ProcessorId[],
  hedge: number,
  context: RoutingContext,
): Ordered {
  const order = named(processors, eligible).sort((a, b) => scoreOf(context.health, b) - scoreOf(context.health, a));
  const rates = order.map((processor) => `${processor} ${scoreOf(context.health, processor).toFixed(3)}`);
  let why = `Highest success rate first: ${rates.join(", ")}.`;
  const [best, next] = order;
  // Hedging: a small share of traffic goes to the runner-up, so its score never goes stale.
  if (best !== undefined && next !== undefined && context.hedgeDraw < hedge) {
    order[0] = next;
    order[1] = best;
    why += ` Hedged (draw ${context.hedgeDraw.toFixed(4)} < ${hedge}): ${next} goes first.`;
  }
  return { order, why };
}

/** Orders the eligible processors `route` names. */
export function orderByRoute(
  route: Route,
  eligible: readonly ProcessorId[],
  payment: RoutingPayment,
  context: RoutingContext,
): Ordered {
  switch (route.type) {
    case "priority": {
      const order = named(route.processors, eligible);
      return { order, why: `Priority order: ${route.processors.join(", ")}.` };
    }
    case "volume_split":
      return volumeSplit(route.splits, eligible, context.draw);
    case "cheapest_first":
      return cheapestFirst(route.processors ?? PROCESSOR_IDS, eligible, payment);
    case "success_rate":
      return successRate(route.processors ?? PROCESSOR_IDS, eligible, route.hedge ?? DEFAULT_HEDGE, context);
    default: {
      const unreachable: never = route;
      throw new Error(`unknown route ${JSON.stringify(unreachable)}`);
    }
  }
}
