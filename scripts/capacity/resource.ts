import type { Assumed } from "./assumptions.js";
import type { Cost } from "./cost.js";
import type { Kind } from "./flows.js";
import type { Derived } from "./per-payment.js";

/** Everything a resource's demand is computed from, at one load. */
export interface Context {
  paymentsPerSecond: number;
  assumed: Assumed;
  /** Flows per second of each kind. */
  rates: Readonly<Record<Kind, number>>;
  /** Every counter per second. */
  perSecond: Cost;
  /** The platform's units per second (bytes: per second too). */
  derived: Derived;
}

/** Where a number comes from: a platform's page, the code, the model's plan, or a guess. */
export type Basis = "published" | "code" | "plan" | "assumption";

export interface Limit {
  value: number;
  basis: Basis;
  /** The page, the file, or the assumption's name. */
  source: string;
}

/** One resource's demand under a design: its total rate and how many partitions share it. */
export interface Demand {
  rate: number;
  /** As built: the partitions the code has. Planned: the least the plan must have (default 1). */
  partitions?: number;
}

/**
 * A limited resource: a kind of Durable Object, a queue, Hyperdrive's connections, a database,
 * the vault's replicas, a settlement file. Its limit is per partition (per object, per queue, per
 * configuration...). `built` is the code as it stands; `planned` is the partitioning proposed
 * for 65,000 payments/s (docs/capacity.md), which may also change what the demand is.
 */
export interface Resource {
  id: string;
  name: string;
  /** What the rate counts, short ("req/s", "msg/s", "bytes"...): the name says of what. */
  unit: string;
  /** What one partition is. */
  partition: string;
  limit: Limit | ((assumed: Assumed) => Limit);
  /** The most a partition is planned to carry (at or below the limit). */
  plan: Limit | ((assumed: Assumed) => Limit);
  /** Resources planned together (an audit chain shard has its own queue): one partition count. */
  group?: string;
  /** The most partitions the plan may use (an account's, or the code's, cap). */
  ceiling?: Limit;
  /** A Durable Object (checked against the per-object plan) or a queue (checked against 5,000/s). */
  kind: "object" | "queue" | "other";
  built(context: Context): Demand;
  planned(context: Context): Demand;
}
