import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, type JSONWebKeySet } from "jose";
import { expect } from "vitest";
import { type RunningSimulator, startAcquirerSimulator } from "../../simulators/acquirer/acquirer-simulator.js";
import { type RunningAggregator, startAggregatorSimulator } from "../../simulators/aggregator/aggregator-simulator.js";
import { startVaultHarness, type TestMerchant, type VaultHarness } from "../../test/support/vault-harness.js";
import { vaultToken } from "../../workers/vault/vault-token.js";
import { createVaultApp } from "../app.js";
import { DEFAULT_TERMINAL_IDS } from "../config.js";
import type { VaultDatabase } from "../db/vault-database.js";
import { paymentOfOperation } from "./caller-binding.js";
import { edgeTokenVerifier } from "./edge-token.js";
import type { InternalDeps } from "./internal.routes.js";
import { JtiReplayGuard } from "./jti-replay-guard.js";
import { openInternalApi } from "./open-internal-api.js";

export const PAN = "4242424242424242";

/** What the tests read back from the internal API: any outcome, loosely typed. */
// biome-ignore lint/suspicious/noExplicitAny: tests read every outcome's fields
export type Answer = Record<string, any> & { outcome: string };

export interface InternalApiKit {
  harness: VaultHarness;
  /** Test mode's acquirer A. */
  simulator: RunningSimulator;
  /** Test mode's acquirer B: the same simulator, its own books. */
  simulatorB: RunningSimulator;
  /** Live mode's acquirer A: another simulator, standing in for the real network. */
  liveSimulator: RunningSimulator;
  /** Test mode's card aggregator (Stripe's wire format). Live mode has none, nor an acquirer B. */
  aggregator: RunningAggregator;
  /** With a live publishable key besides its test one. */
  merchant: TestMerchant & { livePublishableKey: string };
  /** The edge's signing key, for tests that mint their own service tokens. */
  edge: { VAULT_SIGNING_KEY: string };
  /** A service token as the edge signs it for `POST /internal/v1/<path>` with `body` (JSON), for `subject`. */
  sign(subject: string, path: string, body: unknown, key?: { VAULT_SIGNING_KEY: string }): Promise<string>;
  /**
   * A second internal API on the same database and simulators (another vault instance); `db`
   * replaces its database, and `replayDb` only its edge-token replay store. `liveLinks: false`:
   * a vault with no live links configured.
   */
  open(options?: {
    timeoutMs?: number;
    db?: VaultDatabase;
    replayDb?: VaultDatabase;
    liveLinks?: boolean;
  }): InternalApi;
  api: InternalApi;
  /** A token of the kit's merchant, made with its test key (or, `livemode`, its live key). */
  tokenize(number?: string, cvc?: string, options?: { livemode?: boolean }): Promise<string>;
  /** Faults on test mode's acquirer A (or, `live`, on live mode's; or on `simulator`). */
  setFault(body: Record<string, unknown>, options?: { live?: boolean; simulator?: RunningSimulator }): Promise<void>;
  stop(): Promise<void>;
}

export interface InternalApi {
  internal: InternalDeps;
  call(
    path: string,
    body: unknown,
    options?: { token?: string | null },
  ): Promise<{ status: number; text: string; json: Answer }>;
  authorize(token: string, extra?: Record<string, unknown>): Promise<Answer>;
  followUp(path: "capture" | "void" | "refund", reference: string, extra?: Record<string, unknown>): Promise<Answer>;
  inquire(operationId: string): Promise<Answer>;
  /** Polls `/inquire` until the operation is definite (or `timeoutMs` passes). */
  settled(operationId: string, timeoutMs?: number): Promise<Answer>;
}

/** Every link's terminal (ISO 8583 field 41), as the vault's configuration defaults them. */
const TERMINALS = {
  VISA_TERMINAL_ID: DEFAULT_TERMINAL_IDS.acquirer_a.test.visa,
  MASTERCARD_TERMINAL_ID: DEFAULT_TERMINAL_IDS.acquirer_a.test.mastercard,
  LIVE_VISA_TERMINAL_ID: DEFAULT_TERMINAL_IDS.acquirer_a.live.visa,
  LIVE_MASTERCARD_TERMINAL_ID: DEFAULT_TERMINAL_IDS.acquirer_a.live.mastercard,
  ACQUIRER_B_VISA_TERMINAL_ID: DEFAULT_TERMINAL_IDS.acquirer_b.test.visa,
  ACQUIRER_B_MASTERCARD_TERMINAL_ID: DEFAULT_TERMINAL_IDS.acquirer_b.test.mastercard,
  LIVE_ACQUIRER_B_VISA_TERMINAL_ID: DEFAULT_TERMINAL_IDS.acquirer_b.live.visa,
  LIVE_ACQUIRER_B_MASTERCARD_TERMINAL_ID: DEFAULT_TERMINAL_IDS.acquirer_b.live.mastercard,
};

let sequence = 0;
/** An operation id of `paymentId`, shaped as the edge names them (`op_<payment>_<n>`), unique per run. */
export const operationId = (paymentId = "pay_test") =>
  `op_${paymentId.replace(/^pay_/, "")}_${Date.now()}${String(sequence++).padStart(6, "0")}`;

/**
 * The vault's internal API as the edge calls it, over a real migrated Postgres, three acquirer
 * simulators over TCP (test mode's acquirers A and B, and live mode's stand-in for acquirer A)
 * and the aggregator simulator over HTTP, with a short network response timer. Calls are test mode's unless they say `livemode: true`. The resolver
 * is not started: a test starts the resolvers it wants.
 */
export async function startInternalApiKit(timeoutMs = 400): Promise<InternalApiKit> {
  const dataDir = mkdtempSync(join(tmpdir(), "internal-api-"));
  const harness = await startVaultHarness();
  const simulator = await startAcquirerSimulator({ name: "acquirer_a", isoPort: 0, adminPort: 0, dataDir });
  // Their own books, in memory: a test reads them through `ledger`.
  const simulatorB = await startAcquirerSimulator({ name: "acquirer_b", isoPort: 0, adminPort: 0, dataDir: null });
  const liveSimulator = await startAcquirerSimulator({ isoPort: 0, adminPort: 0, dataDir: null });
  const aggregator = await startAggregatorSimulator({ port: 0, adminPort: 0, dataDir: null });
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const edge = { VAULT_SIGNING_KEY: JSON.stringify({ ...(await exportJWK(privateKey)), kid: "edge-test" }) };
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "edge-test", alg: "ES256" }] });
  const created = await harness.createMerchant();
  const merchant = {
    ...created,
    livePublishableKey: await harness.createPublishableKey(created.id, { livemode: true }),
  };
  const apis: InternalApi[] = [];
  const sign: InternalApiKit["sign"] = (subject, path, body, key = edge) =>
    vaultToken(key, subject, { method: "POST", path: `/internal/v1/${path}`, body: JSON.stringify(body) });

  const open: InternalApiKit["open"] = (options = {}) => {
    const opened = openInternalApi(
      {
        EDGE_TOKEN_JWKS: jwks,
        ...TERMINALS,
        ACQUIRER_A: `127.0.0.1:${simulator.isoPort}`,
        ACQUIRER_B: `127.0.0.1:${simulatorB.isoPort}`,
        ...(options.liveLinks === false ? {} : { LIVE_ACQUIRER_A: `127.0.0.1:${liveSimulator.isoPort}` }),
        AGGREGATOR_URL: aggregator.url,
        AGGREGATOR_SECRET_KEY: "sk_test_aggregator_simulator_dev_key",
        AGGREGATOR_TIMEOUT_MS: Math.max(options.timeoutMs ?? timeoutMs, 1_000),
        CARD_NETWORK_TIMEOUT_MS: options.timeoutMs ?? timeoutMs,
      },
      { db: options.db ?? harness.pool.db, keys: harness.keys, cvcs: harness.deps.cvcs },
      { pollMs: 50 },
    );
    if (!opened) throw new Error("internal API not configured");
    const replayGuard = options.replayDb ? new JtiReplayGuard(options.replayDb) : opened.replayGuard;
    const internal = options.replayDb
      ? { ...opened, replayGuard, verifyEdgeToken: edgeTokenVerifier(JSON.parse(jwks) as JSONWebKeySet, replayGuard) }
      : opened;
    const app = createVaultApp(harness.pool.ping, { tokenization: harness.deps, internal });
    const call: InternalApi["call"] = async (path, body, callOptions = {}) => {
      // Signed, as the edge signs it, for the payment the call is about.
      const named = body as { payment_id?: string; operation_id?: string };
      const subject = named.payment_id ?? paymentOfOperation(named.operation_id ?? "") ?? "pay_test";
      const token = callOptions.token === undefined ? await sign(subject, path, body) : callOptions.token;
      const response = await app.request(`/internal/v1/${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, text, json: JSON.parse(text) as Answer };
    };
    const inquire = async (id: string) => (await call("inquire", { operation_id: id })).json;
    const api: InternalApi = {
      internal,
      call,
      async authorize(token, extra = {}) {
        const response = await call("authorize", {
          operation_id: operationId(),
          deadline: Date.now() + 25_000,
          merchant_id: merchant.id,
          payment_id: "pay_test",
          livemode: false,
          token,
          amount: 1_999,
          currency: "USD",
          capture: false,
          ...extra,
        });
        expect(response.status).toBe(200);
        return response.json;
      },
      async followUp(path, reference, extra = {}) {
        const response = await call(path, {
          operation_id: operationId(),
          deadline: Date.now() + 25_000,
          payment_id: "pay_test",
          livemode: false,
          processor: "acquirer_a",
          processor_reference: reference,
          amount: 1_999,
          currency: "USD",
          ...extra,
        });
        expect(response.status).toBe(200);
        return response.json;
      },
      inquire,
      async settled(id, wait = 8_000) {
        const until = Date.now() + wait;
        let answer = await inquire(id);
        while (answer.outcome === "unknown" && Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          answer = await inquire(id);
        }
        return answer;
      },
    };
    apis.push(api);
    return api;
  };

  const setFault: InternalApiKit["setFault"] = async (body, options = {}) => {
    const target = options.simulator ?? (options.live ? liveSimulator : simulator);
    const response = await fetch(`${target.adminUrl}/faults`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  };

  return {
    harness,
    simulator,
    simulatorB,
    liveSimulator,
    aggregator,
    merchant,
    edge,
    sign,
    open,
    api: open(),
    async tokenize(number = PAN, cvc = "123", options = {}) {
      const key = options.livemode ? merchant.livePublishableKey : merchant.publishableKey;
      const response = await harness.tokenize(key, { number, exp_month: 12, exp_year: 2034, cvc });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    },
    setFault,
    async stop() {
      for (const api of apis) {
        await api.internal.resolver.stop();
        await api.internal.links.close();
      }
      await simulator.stop();
      await simulatorB.stop();
      await liveSimulator.stop();
      await aggregator.stop();
      await harness.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
