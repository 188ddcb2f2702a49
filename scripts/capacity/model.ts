import type { Assumed } from "./assumptions.js";
import { BACKEND_RESOURCES } from "./backend-resources.js";
import { addCost, type Cost, zeroCost } from "./cost.js";
import { KINDS } from "./flows.js";
import { checkMix, flowRates, type Mix } from "./mix.js";
import { OBJECT_RESOURCES } from "./object-resources.js";
import { derive, KIND_COSTS } from "./per-payment.js";
import { QUEUE_RESOURCES } from "./queue-resources.js";
import type { Context, Limit, Resource } from "./resource.js";

/** Every limited resource the model knows, in the order the report prints them. */
export const RESOURCES: readonly Resource[] = [...OBJECT_RESOURCES, ...QUEUE_RESOURCES, ...BACKEND_RESOURCES];

/** One resource at one load, as built and as planned. */
export interface Usage {
  resource: Resource;
  limit: Limit;
  plan: Limit;
  built: { rate: number; partitions: number; perPartition: number; utilisation: number };
  /** `ceiling`: the most partitions allowed (Infinity: no cap); `ceilingUse`: partitions / ceiling. */
  planned: {
    rate: number;
    partitions: number;
    perPartition: number;
    utilisation: number;
    ceiling: number;
    ceilingUse: number;
  };
}

export interface Evaluation {
  paymentsPerSecond: number;
  context: Context;
  usages: Usage[];
  /** The resource nearest (or furthest past) its limit with the code as it stands. */
  bindingBuilt: Usage;
  /** With the plan's partitions: the resource nearest its per-partition limit or its ceiling. */
  bindingPlanned: Usage;
}

const resolve = (limit: Resource["limit"], assumed: Assumed): Limit =>
  typeof limit === "function" ? limit(assumed) : limit;

/** Every counter per second at `paymentsPerSecond`, summed kind by kind. */
export function contextAt(paymentsPerSecond: number, mix: Mix, assumed: Assumed): Context {
  const rates = flowRates(paymentsPerSecond, checkMix(mix));
  const perSecond = KINDS.reduce<Cost>((total, kind) => addCost(total, KIND_COSTS[kind], rates[kind]), zeroCost());
  return { paymentsPerSecond, assumed, rates, perSecond, derived: derive(perSecond, assumed) };
}

/** Partitions the plan needs: enough for every member of a group to stay at or under its plan. */
function plannedPartitions(context: Context): Map<string, number> {
  const needed = new Map<string, number>();
  for (const resource of RESOURCES) {
    const demand = resource.planned(context);
    const plan = resolve(resource.plan, context.assumed).value;
    const count = Math.max(1, demand.partitions ?? 1, Math.ceil(demand.rate / plan));
    const key = resource.group ?? resource.id;
    needed.set(key, Math.max(needed.get(key) ?? 1, count));
  }
  return needed;
}

export function evaluate(paymentsPerSecond: number, mix: Mix, assumed: Assumed): Evaluation {
  const context = contextAt(paymentsPerSecond, mix, assumed);
  const partitions = plannedPartitions(context);
  const usages = RESOURCES.map((resource): Usage => {
    const limit = resolve(resource.limit, assumed);
    const plan = resolve(resource.plan, assumed);
    const built = resource.built(context);
    const builtPartitions = built.partitions ?? 1;
    const planned = resource.planned(context);
    const count = partitions.get(resource.group ?? resource.id) ?? 1;
    const ceiling = resource.ceiling?.value ?? Number.POSITIVE_INFINITY;
    return {
      resource,
      limit,
      plan,
      built: {
        rate: built.rate,
        partitions: builtPartitions,
        perPartition: built.rate / builtPartitions,
        utilisation: built.rate / builtPartitions / limit.value,
      },
      planned: {
        rate: planned.rate,
        partitions: count,
        perPartition: planned.rate / count,
        utilisation: planned.rate / count / limit.value,
        ceiling,
        ceilingUse: count / ceiling,
      },
    };
  });
  const pressure = (usage: Usage) => Math.max(usage.planned.utilisation, usage.planned.ceilingUse);
  return {
    paymentsPerSecond,
    context,
    usages,
    bindingBuilt: usages.reduce((a, b) => (b.built.utilisation > a.built.utilisation ? b : a)),
    bindingPlanned: usages.reduce((a, b) => (pressure(b) > pressure(a) ? b : a)),
  };
}

/** A resource's utilisation with the code as it stands, at `load` payments/s. */
export function builtUtilisation(resource: Resource, load: number, mix: Mix, assumed: Assumed): number {
  const built = resource.built(contextAt(load, mix, assumed));
  return built.rate / (built.partitions ?? 1) / resolve(resource.limit, assumed).value;
}

/** The payments/s at which a resource reaches its limit as built (Infinity: never, its load does not grow). */
export function saturationLoad(resource: Resource, mix: Mix, assumed: Assumed): number {
  const utilisation = (load: number) => builtUtilisation(resource, load, mix, assumed);
  if (utilisation(1e9) < 1) return Number.POSITIVE_INFINITY;
  let low = 0;
  let high = 1e9;
  while (high - low > 1e-4 * Math.max(1, low)) {
    const middle = (low + high) / 2;
    if (utilisation(middle) >= 1) high = middle;
    else low = middle;
  }
  return high;
}
