import type { DevJson } from "../../test/support/running-stack.js";
import { type Answer, control, sleep } from "./client.js";
import { describeFault, type Fault } from "./schedule.js";

/**
 * Switches the campaign's faults on and off at every hop, through the stack's own control panels
 * (the stack admin, the simulators' admin APIs (acquirers, UPI switch, wallet), the edge's chaos routes).
 */
export class FaultInjector {
  /** Kinds the stack cannot do (Postgres is external): skipped, and said so once. */
  private readonly unsupported = new Set<string>();

  constructor(
    private readonly dev: DevJson,
    private readonly opsToken: () => Promise<string>,
    private readonly log: (line: string) => void,
  ) {}

  async inject(fault: Fault): Promise<void> {
    if (this.unsupported.has(fault.kind)) return;
    this.log(`fault on: ${describeFault(fault)} (${new Date().toISOString()})`);
    switch (fault.kind) {
      case "acquirer":
        return this.expect(
          "acquirer fault",
          control(`${this.dev.acquirer_admin}/faults`, "PUT", {
            mode: fault.mode,
            messages: fault.messages,
            ...(fault.slow_ms === undefined ? {} : { slow_ms: fault.slow_ms }),
          }),
        );
      case "upi_switch":
        return this.expect(
          "UPI switch fault",
          control(`${this.dev.upi_switch_admin}/faults`, "PUT", {
            mode: fault.mode,
            apis: fault.apis,
            ...(fault.slow_ms === undefined ? {} : { slow_ms: fault.slow_ms }),
          }),
        );
      case "upi_credit_leg":
        return this.expect("UPI credit leg", this.upiLeg(fault.leg));
      case "upi_callbacks_drop":
        return this.expect("UPI callbacks", this.upiCallbacks("drop"));
      case "wallet":
        return this.expect(
          "wallet fault",
          control(`${this.dev.wallet_admin}/faults`, "PUT", {
            mode: fault.mode,
            routes: fault.routes,
            ...(fault.slow_ms === undefined ? {} : { slow_ms: fault.slow_ms }),
          }),
        );
      case "wallet_webhooks_drop":
        return this.expect("wallet webhooks", this.walletWebhooks("drop"));
      case "vault_pause":
        return this.expect("vault pause", this.admin("/services/vault/pause"));
      case "vault_kill":
        return this.expect("vault kill", this.admin("/services/vault/kill"));
      case "vault_restart":
        return this.expect("vault restart", this.admin("/services/vault/restart"));
      case "postgres_stop": {
        const answer = await this.admin("/postgres/stop");
        if (answer.status === 409) {
          this.unsupported.add(fault.kind);
          return this.log("postgres_stop skipped: the stack uses an external DATABASE_URL");
        }
        return this.expect("postgres stop", Promise.resolve(answer));
      }
      case "consumer_fail":
        return this.expect("consumer switch", this.switchConsumer("fail"));
      default: {
        const unreachable: never = fault;
        throw new Error(`unknown fault ${JSON.stringify(unreachable)}`);
      }
    }
  }

  async heal(fault: Fault): Promise<void> {
    if (this.unsupported.has(fault.kind)) return;
    this.log(`fault off: ${describeFault(fault)} (${new Date().toISOString()})`);
    switch (fault.kind) {
      case "acquirer":
        return this.expect("acquirer heal", control(`${this.dev.acquirer_admin}/faults`, "PUT", { mode: "none" }));
      case "upi_switch":
        return this.expect("UPI switch heal", this.upiWire());
      case "upi_credit_leg":
        return this.expect("UPI credit leg", this.upiLeg("ok"));
      case "upi_callbacks_drop":
        return this.expect("UPI callbacks", this.upiCallbacks("deliver"));
      case "wallet":
        return this.expect("wallet heal", this.walletWire());
      case "wallet_webhooks_drop":
        return this.expect("wallet webhooks", this.walletWebhooks("deliver"));
      case "vault_pause":
        return this.expect("vault resume", this.admin("/services/vault/resume"));
      case "postgres_stop":
        return this.expect("postgres start", this.admin("/postgres/start"));
      case "consumer_fail":
        return this.expect("consumer switch", this.switchConsumer("ok"));
      case "vault_kill":
      case "vault_restart":
        return; // the stack restarts the vault by itself
      default: {
        const unreachable: never = fault;
        throw new Error(`unknown fault ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Everything back to normal, whatever the schedule left on; then waits for the vault to be healthy. */
  async healAll(): Promise<void> {
    await this.admin("/postgres/start");
    await this.admin("/services/vault/resume");
    await control(`${this.dev.acquirer_admin}/faults`, "PUT", { mode: "none" });
    await this.upiWire();
    await this.upiLeg("ok");
    await this.upiCallbacks("deliver");
    await this.walletWire();
    await this.walletWebhooks("deliver");
    await this.switchConsumer("ok");
    const deadline = Date.now() + 60_000;
    while ((await control(`${this.dev.vault}/health`, "GET")).status !== 200) {
      if (Date.now() > deadline) throw new Error("the vault is not healthy 60 s after healing");
      await sleep(500);
    }
  }

  /** A call to the stack admin API, with its token. */
  private admin(path: string): Promise<Answer> {
    return control(`${this.dev.stack_admin}${path}`, "POST", undefined, this.dev.stack_admin_token);
  }

  /** Aborts a payment's Durable Object (as an eviction or crash would), through the edge's chaos route. */
  async resetPayment(id: string): Promise<Answer> {
    return control(`${this.dev.api}/v1/ops/chaos/payments/${id}/reset`, "POST", undefined, await this.opsToken());
  }

  /** The same, by the object's name, while its create is still out (its id is not known yet). */
  async resetCreating(merchantId: string, key: string): Promise<Answer> {
    const body = { merchant_id: merchantId, idempotency_key: key };
    return control(`${this.dev.api}/v1/ops/chaos/payments/reset`, "POST", body, await this.opsToken());
  }

  /** The UPI switch answers again (and listens again, after a `refuse`). */
  private upiWire(): Promise<Answer> {
    return control(`${this.dev.upi_switch_admin}/faults`, "PUT", { mode: "none" });
  }

  private upiLeg(leg: "ok" | "fail" | "deemed"): Promise<Answer> {
    return control(`${this.dev.upi_switch_admin}/legs`, "PUT", { credit_leg: leg });
  }

  /** Callbacks dropped while the switch is told to drop them stay dropped: status checks must find them. */
  private upiCallbacks(mode: "deliver" | "drop"): Promise<Answer> {
    return control(`${this.dev.upi_switch_admin}/callbacks`, "PUT", { mode });
  }

  /** The wallet answers again (and listens again, after a `refuse`: its approval page too). */
  private walletWire(): Promise<Answer> {
    return control(`${this.dev.wallet_admin}/faults`, "PUT", { mode: "none" });
  }

  /** Webhooks dropped while the wallet drops them stay dropped: the payer's return or a status check must find them. */
  private walletWebhooks(mode: "deliver" | "drop"): Promise<Answer> {
    return control(`${this.dev.wallet_admin}/webhooks`, "PUT", { mode });
  }

  private async switchConsumer(mode: "fail" | "ok"): Promise<Answer> {
    return control(`${this.dev.api}/v1/ops/chaos/consumers`, "PUT", { payment_events: mode }, await this.opsToken());
  }

  /**
   * A control that did not answer 2xx is said, not fatal: faults combine (a vault restarted while
   * Postgres is stopped comes back, but not healthy in time), and the campaign must go on to heal
   * and check. A misconfigured control shows in the log and in the checks.
   */
  private async expect(what: string, pending: Promise<Answer>): Promise<void> {
    const answer = await pending;
    if (answer.status < 200 || answer.status > 299) {
      this.log(`warning: ${what} answered ${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}`);
    }
  }
}
