import type { DevJson } from "../../test/support/running-stack.js";
import { evaluate } from "./checks.js";
import { control, mapLimit, opsTokens, sleep } from "./client.js";
import { FaultInjector } from "./faults.js";
import { observe, type Snapshot } from "./observe.js";
import { CARDS, type Card, type Plan, planOperations } from "./plan.js";
import { Prng } from "./prng.js";
import { report } from "./report.js";
import { inFlight, Runner } from "./runner.js";
import { describeFault, planSchedule } from "./schedule.js";
import { payerProblems } from "./wallet-payer.js";

export interface CampaignOptions {
  seed: number;
  operations: number;
  concurrency: number;
  /** How long, after healing, every payment has to become definite and every copy to agree. */
  settleSeconds: number;
  log: (line: string) => void;
}

export interface CampaignResult {
  ok: boolean;
  payments: number;
  requests: number;
  problems: Map<string, string[]>;
  /** The failure report (seed, schedule, histories); empty on a pass. */
  report: string;
}

/**
 * One fault campaign: plan operations and faults from the seed, run them batch by batch with the
 * faults switched on and off at batch boundaries, heal everything, then poll until every payment
 * is definite and the object, Postgres, the acquirer, the UPI switch or the wallet, and the vault's
 * journal agree, every wallet payer's trip ended the way that payer pays, and every
 * Idempotency-Key answers (no 409 "in progress", no 500) - or `settleSeconds` pass.
 */
export async function runCampaign(dev: DevJson, options: CampaignOptions): Promise<CampaignResult> {
  const { seed, log } = options;
  const prng = new Prng(seed);
  const plan = planOperations(
    prng,
    options.operations,
    options.concurrency,
    `chaos-${seed}-${Date.now().toString(36)}`,
  );
  const schedule = planSchedule(prng, plan.batches.length);
  const upi = plan.steps.filter((step) => step.op === "create" && step.method === "upi").length;
  const wallet = plan.steps.filter((step) => step.op === "create" && step.method === "wallet").length;
  log(
    `${plan.steps.length} operations (${upi} UPI collects, ${wallet} wallet payments) in ${plan.batches.length} batches; ${schedule.length} faults:`,
  );
  for (const entry of schedule) log(`  batches ${entry.from}-${entry.until}: ${describeFault(entry.fault)}`);

  const since = new Date(Date.now() - 5_000);
  const tokens = await tokenizeCards(dev);
  const opsToken = opsTokens(dev);
  await opsToken();
  const injector = new FaultInjector(dev, opsToken, log);
  await injector.healAll();
  const runner = new Runner(dev, tokens, plan.steps, injector, log);

  let index = 0;
  for (const [b, batch] of plan.batches.entries()) {
    for (const entry of schedule) if (entry.until === b && entry.from < b) await injector.heal(entry.fault);
    for (const entry of schedule) if (entry.from === b) await injector.inject(entry.fault);
    runner.activeFaults = schedule
      .filter((entry) => entry.from <= b && b < entry.until)
      .map((entry) => describeFault(entry.fault))
      .join("; ");
    const first = index;
    // Payers still owing a trip (no approval page yet, or the wallet refused them) try again alongside.
    await Promise.all([...batch.map((_, i) => runner.run(first + i)), runner.payersOwed()]);
    index += batch.length;
    if (b % 5 === 4) log(`batch ${b + 1}/${plan.batches.length} done`);
  }
  runner.activeFaults = "";
  log("schedule done; healing everything");
  await injector.healAll();

  const deadline = Date.now() + options.settleSeconds * 1000;
  let problems = new Map<string, string[]>();
  let snapshot: Snapshot | undefined;
  for (let round = 1; ; round++) {
    // (v) No key left in flight: a request whose answer was lost, "in progress", "pending" or a 5xx
    // is sent again under its key, as a client would.
    const open = [...runner.keys.values()].filter((record) => !record.definite);
    await mapLimit(open, 4, (record) => runner.send(record.step, "settle"));
    // A create never answered names no payment yet: sending it again (above) names it. Its payer
    // goes to the approval page once it has one, and a payer who never approves sees the order lapse.
    await runner.payersOwed();
    const ids = runner.ids.filter((id): id is string => id !== undefined);
    snapshot = await observe(dev, ids, since);
    problems = evaluate(snapshot);
    for (const [id, found] of walletPayerProblems(runner, plan.steps, snapshot)) {
      problems.set(id, [...(problems.get(id) ?? []), ...found]);
    }
    for (const record of runner.keys.values()) {
      const last = record.last;
      if (!last || inFlight(last) || last.status === 500) {
        problems.set(record.key, [
          `Idempotency-Key ${record.key} answers ${last?.status} ${last?.json.error?.code ?? ""}`,
        ]);
      }
      // Every payer the plan collects from is one the switch knows: "unknown VPA" is a wrong answer.
      if (record.definite?.json.error?.code === "upi_vpa_invalid") {
        problems.set(record.key, [`Idempotency-Key ${record.key}: a test payer refused as an unknown VPA`]);
      }
    }
    if (problems.size === 0 || Date.now() > deadline) break;
    if (round % 5 === 1) {
      // The first few, so a slow settle says what it waits for.
      const waiting = [...problems.entries()].slice(0, 3).map(([subject, found]) => `${subject}: ${found[0]}`);
      log(
        `settling: ${problems.size} payments or keys not yet definite and agreed (round ${round}): ${waiting.join("; ")}`,
      );
    }
    await sleep(2_000);
  }
  if (snapshot) log(`ended: ${outcomes(snapshot)}`);
  if (problems.size === 0) problems = await replayEveryKey(runner);

  const ids = runner.ids.filter((id): id is string => id !== undefined);
  const requests = [...runner.keys.values()].reduce((sum, record) => sum + record.sent.length, 0);
  const ok = problems.size === 0;
  return {
    ok,
    payments: ids.length,
    requests,
    problems,
    report: ok ? "" : report({ options, plan, schedule, runner, problems }),
  };
}

/** Each wallet payer's side of the checks (wallet-payer.ts), by payment id. */
function walletPayerProblems(runner: Runner, steps: Plan["steps"], snapshot: Snapshot): Map<string, string[]> {
  const problems = new Map<string, string[]>();
  const objects = new Map(snapshot.payments.map((p) => [p.id, p.object]));
  for (const record of runner.payers.values()) {
    const id = runner.ids[record.slot];
    const object = id ? objects.get(id) : undefined;
    if (!id || !object) continue; // a create never answered is the key checks' problem
    const create = steps.find((step) => step.op === "create" && step.slot === record.slot);
    const manual = create?.op === "create" && create.method === "wallet" && create.manual;
    const found = payerProblems(record, object, manual);
    if (found.length > 0) problems.set(id, found);
  }
  return problems;
}

/**
 * How the payments ended, per method, with the switch's view of UPI refunds and the wallet's of
 * its orders, captures and refunds: what the campaign exercised.
 */
function outcomes(snapshot: Snapshot): string {
  const count = new Map<string, number>();
  for (const p of snapshot.payments) {
    const method = p.object?.payment_method?.type ?? "unread";
    const key = `${method} ${p.object?.status ?? "?"}`;
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  const refunds = snapshot.payments.flatMap((p) => p.upi?.refunds ?? []);
  const states = refunds.map((refund) => refund.state);
  const ended = [...count.entries()].sort().map(([key, n]) => `${n} ${key}`);
  const upiRefunds = `${states.filter((s) => s === "SUCCESS").length}/${states.length} UPI refunds succeeded at the switch`;
  const orders = snapshot.payments.flatMap((p) => p.wallet);
  const captures = orders.flatMap((order) => order.captures);
  const walletBooks = `the wallet: ${orders.length} orders (${orders.filter((o) => o.status === "EXPIRED").length} expired), ${captures.filter((c) => c.status !== "DECLINED").length} captures, ${captures.filter((c) => c.status === "DECLINED").length} declined, ${orders.flatMap((order) => order.refunds).length} refunds`;
  return [...ended, upiRefunds, walletBooks].join(", ");
}

/**
 * (v), last part: every key, sent again now, is answered (not in flight), and a key whose outcome
 * was definite replays that outcome (same status, same object or error code).
 */
async function replayEveryKey(runner: Runner): Promise<Map<string, string[]>> {
  const problems = new Map<string, string[]>();
  await mapLimit([...runner.keys.values()], 4, async (record) => {
    const was = record.definite;
    const again = await runner.send(record.step, "settle");
    if (!again) return;
    const what = (answer: typeof again) => answer.json.id ?? answer.json.error?.code;
    if (inFlight(again) || again.status === 500) {
      problems.set(record.key, [`key ${record.key} still answers ${again.status} ${what(again)}`]);
    } else if (was && (again.status !== was.status || what(again) !== what(was))) {
      problems.set(record.key, [
        `key ${record.key} first answered ${was.status} ${what(was)}, now ${again.status} ${JSON.stringify(again.json).slice(0, 200)}`,
      ]);
    }
  });
  return problems;
}

async function tokenizeCards(dev: DevJson): Promise<Record<Card, string>> {
  const entries = await Promise.all(
    (Object.keys(CARDS) as Card[]).map(async (card) => {
      const answer = await control(
        `${dev.vault}/v1/tokens`,
        "POST",
        {
          card: { number: CARDS[card], exp_month: 12, exp_year: 2034, cvc: card === "amex" ? "1234" : "123" },
        },
        dev.publishable_key,
      );
      if (answer.status !== 200 && answer.status !== 201)
        throw new Error(`tokenizing the ${card} test card: ${answer.status} ${JSON.stringify(answer.json)}`);
      return [card, answer.json.id as string] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<Card, string>;
}
