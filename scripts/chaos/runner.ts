import type { DevJson } from "../../test/support/running-stack.js";
import { type Answer, merchant } from "./client.js";
import type { FaultInjector } from "./faults.js";
import type { Card, PlannedRequest, Step } from "./plan.js";
import { resolvePath } from "./plan.js";

/** One request as sent, for a payment's history. */
export interface Sent {
  step: number;
  how: "first" | "retry" | "duplicate" | "recover" | "settle";
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
 * (200) or failed (402), as a card's 202 `processing` does.
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
