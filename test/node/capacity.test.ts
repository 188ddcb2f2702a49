import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assumed } from "../../scripts/capacity/assumptions.js";
import { checkEvaluation, checkModel } from "../../scripts/capacity/checks.js";
import { CONSUMERS } from "../../scripts/capacity/consumers.js";
import { sumSteps } from "../../scripts/capacity/cost.js";
import { FLOWS, KINDS } from "../../scripts/capacity/flows.js";
import { PLAN, PLATFORM } from "../../scripts/capacity/limits.js";
import { DEFAULT_MIX, parseMix } from "../../scripts/capacity/mix.js";
import { evaluate, RESOURCES, saturationLoad } from "../../scripts/capacity/model.js";
import { blendedCost, derive, KIND_COSTS } from "../../scripts/capacity/per-payment.js";

const ASSUMED = assumed();
const LOADS = [1_000, 10_000, 65_000];

describe("capacity model: what each payment costs", () => {
  it.each([
    // kind, API requests, object calls, object rows, alarms, transitions, merchant events, vault calls, vault rows
    ["card_auto", 1, 2, 23, 2, 4, 4, 2, 9],
    ["card_manual", 2, 4, 30, 5, 4, 4, 3, 14],
    ["upi_collect", 1, 4, 21, 4, 4, 4, 0, 0],
    ["wallet", 1, 8, 29, 6, 5, 5, 0, 0],
    ["refund", 1, 2, 12, 2, 1, 2, 1, 5],
  ] as const)(
    "counts %s as the code runs it",
    (kind, api, calls, rows, alarms, transitions, events, vault, vaultRows) => {
      const cost = KIND_COSTS[kind];
      expect(cost.apiRequests).toBe(api);
      expect(cost.objectRequests).toBe(calls);
      expect(cost.objectRows).toBe(rows);
      expect(cost.alarmSets).toBe(alarms);
      expect(cost.transitions).toBe(transitions);
      expect(cost.merchantEvents).toBe(events);
      expect(cost.vaultTokenizations + cost.vaultOperations).toBe(vault);
      expect(cost.vaultRows).toBe(vaultRows);
    },
  );

  it("sums each flow's steps into its cost, and drains every transition exactly once", () => {
    for (const kind of KINDS) {
      expect(sumSteps(FLOWS[kind])).toEqual(KIND_COSTS[kind]);
      expect(KIND_COSTS[kind].drained).toBe(KIND_COSTS[kind].transitions);
    }
    expect(checkModel(DEFAULT_MIX, ASSUMED)).toEqual([]);
  });

  it("derives queue messages and Postgres rows from the counts as documented", () => {
    const card = derive(KIND_COSTS.card_auto, ASSUMED);
    // One message per transition; one delivery per event and endpoint; the request's summary plus
    // the transitions' share of their projection batch's pack.
    expect(card.queue).toEqual({ paymentEvents: 4, webhookDelivery: 4, auditLog: 1.04 });
    // payments 1, attempts 1, payment_events 4, events 4, deliveries 4, attempts' records 2 x 4, balance 2, request log 1.
    expect(card.postgresRows).toBe(25);
    expect(card.chainEntries).toBe(6);
    expect(card.objectRowsBilled).toBe(25);
    expect(
      derive(KIND_COSTS.card_auto, assumed({ webhookEndpoints: 2, webhookRetries: 0.5 })).queue.webhookDelivery,
    ).toBe(12);
  });

  it("blends the default mix into one average payment", () => {
    const average = derive(blendedCost(DEFAULT_MIX), ASSUMED);
    expect(average.queue.paymentEvents).toBeCloseTo(4.15, 9);
    expect(average.queue.auditLog).toBeCloseTo(1.3 + 4.15 / 100, 9);
    expect(average.postgresRows).toBeCloseTo(27.4, 9);
    expect(average.vaultRows).toBeCloseTo(8.7, 9);
  });

  it("refuses a mix whose shares do not sum to 1, and unknown kinds or assumptions", () => {
    expect(() => parseMix("card_auto=0.5")).toThrow(/sum to 0.5/);
    expect(() => parseMix("cheque=1")).toThrow(/unknown payment kind/);
    expect(() => assumed({ bogus: 1 })).toThrow(/unknown assumption/);
  });
});

describe("capacity model: limits as load grows", () => {
  it("names the binding limit at 1k, 10k and 65k payments/s", () => {
    const bindings = LOADS.map((load) => {
      const evaluation = evaluate(load, DEFAULT_MIX, ASSUMED);
      return [evaluation.bindingBuilt.resource.id, evaluation.bindingPlanned.resource.id];
    });
    expect(bindings).toEqual([
      ["chain-storage", "chain-r2-wait"],
      ["chain-storage", "vault"],
      ["chain-storage", "hyperdrive"],
    ]);
  });

  it("reaches the audit chain's storage first, then its single writer, then the one vault replica", () => {
    const order = RESOURCES.map((resource) => ({
      id: resource.id,
      load: saturationLoad(resource, DEFAULT_MIX, ASSUMED),
    })).sort((a, b) => a.load - b.load);
    expect(order.slice(0, 3).map((entry) => entry.id)).toEqual(["chain-storage", "chain-r2-wait", "vault"]);
    // Packed, the audit-log queue carries 1.34 messages a payment: it binds past 3,700/s, not at 917.
    const auditLog = order.find((entry) => entry.id === "audit-log-messages");
    expect(auditLog?.load).toBeGreaterThan(3_700);
    // 30 days of ids at 130 B fill 10 GB at about 30 entries/s: under 5 payments/s of 6.25 entries each.
    expect(order[0]?.load).toBeGreaterThan(4.5);
    expect(order[0]?.load).toBeLessThan(5);
    expect(saturationLoad(RESOURCES.find((r) => r.id === "payment-object")!, DEFAULT_MIX, ASSUMED)).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it("plans 65,000 payments/s with no object over 500 requests/s and no queue over its limit", () => {
    const evaluation = evaluate(65_000, DEFAULT_MIX, ASSUMED);
    expect(checkEvaluation(evaluation, DEFAULT_MIX)).toEqual([]);
    for (const usage of evaluation.usages) {
      if (usage.resource.kind === "object")
        expect(usage.planned.perPartition).toBeLessThanOrEqual(PLAN.objectRequestsPerSecond);
      if (usage.resource.kind === "queue")
        expect(usage.planned.perPartition).toBeLessThanOrEqual(PLATFORM.queueMessagesPerSecond.value);
      expect(usage.planned.ceilingUse).toBeLessThanOrEqual(1);
    }
    const partitions = Object.fromEntries(
      evaluation.usages.map((usage) => [usage.resource.id, usage.planned.partitions]),
    );
    expect(partitions).toMatchObject({
      "payment-events-messages": 68,
      "webhook-delivery-messages": 69,
      "chain-requests": 407,
      hyperdrive: 23,
    });
  });

  it("fails its own check when a partition is planned over its limit", () => {
    const evaluation = evaluate(65_000, DEFAULT_MIX, ASSUMED);
    const tampered = {
      ...evaluation,
      usages: evaluation.usages.map((usage) =>
        usage.resource.id === "chain-requests"
          ? { ...usage, planned: { ...usage.planned, partitions: 1, perPartition: usage.planned.rate } }
          : usage,
      ),
    };
    expect(checkEvaluation(tampered, DEFAULT_MIX).join("\n")).toMatch(/chain-requests: planned .* over its plan/);
  });
});

describe("capacity model: the code's constants it rests on", () => {
  const source = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

  it("batches every queue's consumer as the model does", () => {
    const sizes = [...source("wrangler.toml").matchAll(/queue = "((?!.*-dlq)[^"]+)"\nmax_batch_size = (\d+)/g)].map(
      (m) => [m[1] ?? "", Number(m[2])] as const,
    );
    expect(sizes.length).toBe(12);
    for (const [queue, size] of sizes) {
      expect(size, queue).toBe(queue.startsWith("payment-events") ? CONSUMERS.paymentEvents.batch : CONSUMERS.batch);
    }
  });

  it("remembers 30 days of chain ids and writes settlement files in 5 MiB parts", () => {
    expect(source("durable-objects/audit-chain/audit-chain-store.ts")).toMatch(
      /REMEMBER_ENTRY_IDS_MS = 30 \* 24 \* 3600 \* 1000/,
    );
    expect(CONSUMERS.chainRememberDays).toBe(30);
    expect(source("workers/settlement/r2-stream-writer.ts")).toMatch(/PART_BYTES = 5 \* 1024 \* 1024/);
    expect(source("workers/processor-health/health-snapshot.ts")).toMatch(/refreshMs: 1_000/);
  });

  it("prints the binding limit at each load through `npm run capacity` and exits 0", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/capacity.ts"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    for (const load of ["1.00k", "10.0k", "65.0k"]) expect(run.stdout).toContain(`== ${load} payments/s ==`);
    expect(run.stdout.match(/Binding as built: {4}Durable Object: audit chain \(remembered entry ids\)/g)).toHaveLength(
      3,
    );
    expect(run.stdout).toMatch(
      /Binding partitioned: Hyperdrive: origin connections: 23 configurations of the 25 allowed/,
    );
  });
});
