import type { DevJson } from "../../test/support/running-stack.js";
import { type Answer, mapLimit, merchant, sleep } from "./client.js";
import type { FaultInjector } from "./faults.js";
import type { Card, PlannedRequest, Step } from "./plan.js";
import { resolvePath } from "./plan.js";
import { expireOrder, type PayerRecord, type PayerStep, walletTrip } from "./wallet-payer.js";

/** One request as sent, for a payment's history. */
export interface Sent {
  step: number;
  /** `payer` and `expire` are not the merchant's: the wallet's payer at the approval page, the wallet's clock. */
  how: "first" | "retry" | "duplicate" | "recover" | "settle" | "payer" | "expire";
  at: string;
  path: string;
  status: number;
  code: string | null;
  replayed: boolean;
  ms: number;
  faults: string;
}

export interface KeyRecord {
  key: string;
  step: number;
  slot: number;
  request: PlannedRequest;
  sent: Sent[];
  /** The latest answer under this key. */
  last?: Answer;
  /** The first definite answer (the outcome itself, not "pending", not a 5xx, not a lost answer). */
  definite?: Answer;
}

/** No answer yet for this key: lost on the way (status 0), or "a request with this key is in progress". */
export function inFlight(answer: Answer): boolean {
  return answer.status === 0 || (answer.status === 409 && answer.json.error?.code === "idempotency_key_in_use");
}

/**
 * The outcome itself, which every retry under the key must replay. Not definite: a 202 (the
 * operation is pending; a later retry may carry its outcome), a 5xx, no answer at all, or a 400,
 * 409 or 429: a validation error (a refund larger than what is left to refund), a conflict with
 * the payment's state (or another request) and a rate limit start no operation, so the gateway
 * saves no answer for them (as Stripe does; README, "One Idempotency-Key is one operation") and a
 * retry runs afresh: a refund refused 400 while a partial refund was left, 409 once another key
 * refunded the rest.
 * A UPI create answered 200 `requires_action` is pending too (the switch has the collect, the
 * payer has not acted): a retry under its key carries the outcome once there is one, captured
 * (200) or failed (402), as a card's 202 `processing` does; so is a wallet create (the order
 * waits at its approval page) until the payer approves or the order lapses.
 */
export function isDefinite(answer: Answer): boolean {
  return (
    !inFlight(answer) &&
    answer.status !== 202 &&
    answer.status !== 400 &&
    answer.status !== 409 &&
    answer.status !== 429 &&
    answer.status < 500 &&
    answer.json.status !== "requires_action"
  );
}

/**
 * Sends the campaign's requests and remembers everything: each payment's id once its create is
 * answered, and every request under every key (the checks retry them all after healing).
 */
export class Runner {
  readonly ids: (string | undefined)[] = [];
  readonly keys = new Map<string, KeyRecord>();
  /** Each wallet payment's payer, by slot. */
  readonly payers = new Map<number, PayerRecord>();
  /** Payers at the wallet right now: one payer does one thing at a time. */
  private readonly acting = new Set<number>();
  activeFaults = "";

  constructor(
    private readonly dev: DevJson,
    private readonly tokens: Record<Card, string>,
    private readonly steps: Step[],
    private readonly injector: FaultInjector,
    private readonly log: (line: string) => void,
  ) {}

  async run(index: number): Promise<void> {
    const step = this.steps[index];
    if (!step) throw new Error(`no step ${index}`);
    if (step.op === "retry") return void (await this.send(step.of, "retry"));
    if (step.op === "duplicate") {
      await Promise.all([this.send(step.of, "duplicate"), this.send(step.of, "duplicate")]);
      return;
    }
    if (step.op === "expire") {
      const record = this.payers.get(step.slot);
      if (record && record.expiry === "none") record.expiry = "owed";
      return this.payerActs(step.slot, index);
    }
    if (step.op === "create" && step.method === "wallet") {
      this.payers.set(step.slot, {
        slot: step.slot,
        payer: step.payer,
        follow: step.follow,
        trip: "owed",
        expiry: "none",
        approved: false,
        told: null,
        pageProblems: [],
      });
    }
    await this.sendStep(index, step);
    if (step.op === "create" && step.method === "wallet") {
      // The merchant sends the payer to the approval page the create named; the payer takes a moment.
      await sleep(step.payerAfterMs);
      await this.payerActs(step.slot, index);
    }
  }

  /** A step's own request, with its payment object reset while it runs when the plan says so. */
  private async sendStep(index: number, step: Extract<Step, { request: PlannedRequest }>): Promise<void> {
    if (step.resetAfterMs === undefined) return void (await this.send(index, "first"));
    const sending = this.send(index, "first");
    await new Promise((resolve) => setTimeout(resolve, step.resetAfterMs));
    const id = step.op === "create" ? undefined : this.ids[step.slot];
    const reset =
      step.op === "create"
        ? await this.injector.resetCreating(this.dev.merchant_id, step.request.key)
        : id
          ? await this.injector.resetPayment(id)
          : undefined;
    if (reset) this.log(`payment object reset mid-${step.op} (step ${index}): ${reset.status}`);
    await sending;
  }

  /** Sends step `index`'s request (again) under its key. */
  async send(index: number, how: Sent["how"]): Promise<Answer | undefined> {
    const step = this.steps[index];
    if (!step || !("request" in step)) throw new Error(`step ${index} sends no request`);
    let path = resolvePath(step.request.path, this.ids);
    if (path === undefined && how !== "recover") {
      await this.recoverCreate(step.slot); // what a client does: retry the create to learn the payment
      path = resolvePath(step.request.path, this.ids);
    }
    if (path === undefined) return undefined;
    const body = JSON.parse(
      JSON.stringify(step.request.body).replace(/"\{(\w+)\}"/, (_, card: Card) => `"${this.tokens[card]}"`),
    );
    const answer = await merchant(this.dev, "POST", path, body, step.request.key);
    this.learn(step, answer);
    const record = this.keys.get(step.request.key) ?? {
      key: step.request.key,
      step: index,
      slot: step.slot,
      request: step.request,
      sent: [],
    };
    this.keys.set(step.request.key, record);
    record.sent.push({
      step: index,
      how,
      at: new Date().toISOString(),
      path,
      status: answer.status,
      code: (answer.json.error?.code as string | undefined) ?? null,
      replayed: answer.replayed,
      ms: answer.ms,
      faults: this.activeFaults,
    });
    record.last = answer;
    if (!record.definite && isDefinite(answer)) record.definite = answer;
    return answer;
  }

  /**
   * What a wallet payer still owes, done now if the payment lets it: the trip to the approval page,
   * and for a payer who never approves, once its plan step came, the order's expiry. Called from
   * the payer's own steps, at each batch boundary and while settling (a payment that names no
   * approval page yet, or a wallet that refuses connections, leaves it owed).
   */
  async payerActs(slot: number, stepIndex?: number): Promise<void> {
    const record = this.payers.get(slot);
    const id = this.ids[slot];
    if (!record || !id || this.acting.has(slot)) return;
    this.acting.add(slot);
    try {
      await this.payerOwes(record, id, stepIndex);
    } finally {
      this.acting.delete(slot);
    }
  }

  private async payerOwes(record: PayerRecord, id: string, stepIndex: number | undefined): Promise<void> {
    const { slot } = record;
    const owesTrip = record.trip === "owed";
    const owesExpiry = record.expiry === "owed";
    if (!owesTrip && !owesExpiry) return;
    const create = this.steps.findIndex((step) => step.op === "create" && step.slot === slot);
    const read = await merchant(this.dev, "GET", `/v1/payments/${id}`);
    if (read.status !== 200) return;
    if (owesTrip) this.note(create, stepIndex ?? create, "payer", await walletTrip(record, read.json));
    // After the trip (a cancel) when both are owed, as the plan ordered them; a trip stuck for want
    // of an approval page does not hold the order's lapse back.
    if (owesExpiry) this.note(create, stepIndex ?? create, "expire", await expireOrder(this.dev, record, read.json));
  }

  /** Every wallet payer with something owed: the campaign calls it between batches and while settling. */
  async payersOwed(): Promise<void> {
    const owed = [...this.payers.values()].filter((record) => record.trip === "owed" || record.expiry === "owed");
    await mapLimit(owed, 4, (record) => this.payerActs(record.slot));
  }

  /** The payer's and the wallet clock's moves, in the history of the payment's create key. */
  private note(create: number, step: number, how: "payer" | "expire", moves: PayerStep[]): void {
    const planned = this.steps[create];
    const record = planned && "request" in planned ? this.keys.get(planned.request.key) : undefined;
    if (!record) return;
    for (const move of moves) {
      record.sent.push({
        step,
        how,
        at: new Date().toISOString(),
        path: move.what,
        status: move.status,
        code: move.detail,
        replayed: false,
        ms: move.ms,
        faults: this.activeFaults,
      });
    }
  }

  private async recoverCreate(slot: number): Promise<void> {
    const create = this.steps.findIndex((step) => step.op === "create" && step.slot === slot);
    if (create >= 0) await this.send(create, "recover");
  }

  private learn(step: Step, answer: Answer): void {
    if (step.op !== "create") return;
    const id = (answer.json.id ?? answer.json.error?.payment?.id) as string | undefined;
    if (typeof id === "string" && id.startsWith("pay_")) this.ids[step.slot] = id;
  }
}
