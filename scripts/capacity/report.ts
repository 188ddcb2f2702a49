import type { Assumed } from "./assumptions.js";
import type { Cost } from "./cost.js";
import { KINDS } from "./flows.js";
import { PLATFORM } from "./limits.js";
import { describeMix, type Mix } from "./mix.js";
import type { Evaluation, Usage } from "./model.js";
import { blendedCost, derive, KIND_COSTS } from "./per-payment.js";
import type { Resource } from "./resource.js";

/** 1234 -> "1.23k", 0.0421 -> "0.04"; bytes as B, kB, MB, GB, TB. */
export function human(value: number, bytes = false): string {
  if (!Number.isFinite(value)) return value > 0 ? "never" : "-";
  const units = bytes ? ["B", "kB", "MB", "GB", "TB", "PB"] : ["", "k", "M", "G", "T", "P"];
  let scaled = Math.abs(value);
  let unit = 0;
  while (scaled >= 1000 && unit < units.length - 1) {
    scaled /= 1000;
    unit += 1;
  }
  const digits = scaled >= 100 || (unit === 0 && Number.isInteger(value)) ? 0 : scaled >= 10 ? 1 : 2;
  return `${value < 0 ? "-" : ""}${scaled.toFixed(digits)}${bytes ? ` ${units[unit]}` : units[unit]}`;
}

const isBytes = (resource: Resource) => resource.unit === "bytes";
const plural = (word: string) => (/[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : `${word}s`);
const DAY = 86_400;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** What one payment (or refund) of each kind costs, and one average payment of the mix. */
export function costTable(mix: Mix, assumed: Assumed): string {
  const row = (name: string, cost: Cost) => {
    const d = derive(cost, assumed);
    return [
      name,
      human(cost.apiRequests),
      human(cost.objectRequests),
      human(d.objectRowsBilled),
      human(cost.transitions),
      human(d.queue.webhookDelivery),
      human(d.queue.auditLog),
      human(d.postgresRows),
      human(d.vaultCalls),
      human(d.vaultRows),
      human(d.chainEntries),
      human(d.bytes.object, true),
      human(d.bytes.postgres + d.bytes.vault, true),
      human(d.bytes.auditR2 + d.bytes.settlementR2, true),
    ];
  };
  return table(
    [
      "per flow",
      "API",
      "DO calls",
      "DO rows",
      "payment-events",
      "webhook-delivery",
      "audit-log",
      "PG rows",
      "vault calls",
      "vault rows",
      "chain entries",
      "DO bytes",
      "PG bytes",
      "R2 bytes",
    ],
    [...KINDS.map((kind) => row(kind, KIND_COSTS[kind])), row("average payment", blendedCost(mix))],
  );
}

function usageRow(usage: Usage): string[] {
  const { resource, built, planned } = usage;
  const bytes = isBytes(resource);
  const ceiling = Number.isFinite(planned.ceiling) ? ` of ${planned.ceiling}` : "";
  return [
    resource.name,
    bytes ? human(built.rate, true) : `${human(built.rate)} ${resource.unit}`,
    human(usage.limit.value, bytes),
    `${built.partitions}`,
    `${human(built.utilisation)}x`,
    `${planned.partitions}${ceiling}`,
    human(planned.perPartition, bytes),
    `${human(planned.utilisation)}x`,
    usage.limit.basis,
  ];
}

/** Queues the plan deploys, each with its dead-letter queue (wrangler.toml gives every queue one). */
function plannedQueues(evaluation: Evaluation): number {
  const groups = new Map(
    evaluation.usages
      .filter((u) => u.resource.kind === "queue")
      .map((u) => [u.resource.group ?? u.resource.id, u.planned.partitions]),
  );
  return 2 * [...groups.values()].reduce((sum, count) => sum + count, 0);
}

export function loadReport(evaluation: Evaluation): string {
  const { bindingBuilt: b, bindingPlanned: p, context } = evaluation;
  const ceiling = p.resource.ceiling;
  const plannedWhy =
    ceiling && p.planned.ceilingUse >= p.planned.utilisation
      ? `${p.planned.partitions} ${plural(p.resource.partition)} of the ${ceiling.value} allowed (${ceiling.basis}: ${ceiling.source})`
      : `${human(p.planned.utilisation)}x its limit in each of ${p.planned.partitions} ${plural(p.resource.partition)}`;
  const stored = context.derived.bytes;
  const queues = plannedQueues(evaluation);
  return [
    `== ${human(evaluation.paymentsPerSecond)} payments/s ==`,
    table(
      ["resource", "demand", "limit/part", "built", "use", "planned", "per part", "use", "limit is"],
      evaluation.usages.map(usageRow),
    ),
    `Binding as built:    ${b.resource.name}: ${human(b.built.utilisation)}x its limit (${b.limit.basis}: ${b.limit.source})`,
    `Binding partitioned: ${p.resource.name}: ${plannedWhy}`,
    ...evaluation.usages
      .filter((usage) => usage.planned.ceilingUse > 1)
      .map(
        (usage) =>
          `OVER A CEILING: ${usage.resource.name} needs ${usage.planned.partitions} ${plural(usage.resource.partition)}, ${usage.planned.ceiling} allowed: a limit increase or a code change (docs/capacity.md).`,
      ),
    `Queues planned, dead-letter queues included: ${queues} of ${PLATFORM.queuesPerAccount.value} per account${queues > PLATFORM.queuesPerAccount.value ? " (OVER A CEILING)" : ""}.`,
    `Stored per day: payment objects ${human(stored.object * DAY, true)} (kept for good), Postgres ${human((stored.postgres + stored.vault) * DAY, true)}, R2 audit ${human(stored.auditR2 * DAY, true)} (locked 7 years), R2 settlement ${human(stored.settlementR2 * DAY, true)}.`,
  ].join("\n");
}

export function header(mix: Mix, assumed: Assumed): string {
  return [
    "Capacity model of the gateway (docs/capacity.md): per-payment costs counted from the code, limits from Cloudflare's pages.",
    `Mix: ${describeMix(mix)}  (--mix kind=share,...  --refunds n, or CAPACITY_MIX / CAPACITY_REFUNDS)`,
    `Assumptions: ${Object.entries(assumed)
      .map(([name, value]) => `${name}=${value}`)
      .join(" ")}  (--assume name=value)`,
    "Columns: demand as built; limit per partition; partitions and use (demand / limit per partition) as built, then as planned.",
  ].join("\n");
}
