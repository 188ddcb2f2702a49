import { Hono } from "hono";
import type { CardNetwork } from "../connectors/card-network/network-config.js";
import { log } from "../logging/logger.js";
import type { VaultEnv } from "../vault-env.js";
import { verifyAcquirerSignature } from "./acquirer-signature.js";
import type { EdgeAnswer, EdgeNotifier } from "./edge-notifier.js";
import { type Advice, adviceSchema, edgeChargeback, edgeOutcome } from "./network-advices.js";

/** One of this vault's terminals: the acquirer and network link it books on, and that link's mode. */
export interface TerminalLink {
  processor: "acquirer_a" | "acquirer_b";
  network: CardNetwork;
  livemode: boolean;
}

export interface NetworkDeps {
  /** ACQUIRER_NOTIFY_SECRET: the acquirer signs its advices with it. */
  acquirerSecret: string;
  /** Terminal id -> its acquirer, network and mode, from the acquirer configurations. */
  linkOfTerminal(terminal: string): TerminalLink | null;
  edge: EdgeNotifier;
}

/** Hands one advice to the edge, or answers why it cannot go (the acquirer sees that answer). */
async function handOver(deps: NetworkDeps, advice: Advice, link: TerminalLink): Promise<EdgeAnswer> {
  switch (advice.type) {
    case "chargeback": {
      const chargeback = edgeChargeback(advice, link);
      if ("error" in chargeback) return { status: 400, body: chargeback };
      return deps.edge.chargeback(chargeback);
    }
    case "chargeback_resolution":
      return deps.edge.outcome(edgeOutcome(advice, link));
    default: {
      const unreachable: never = advice;
      throw new Error(`unknown advice ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * The connector service's inbound side: what acquirers push to us about disputes, on one endpoint,
 * told apart by `type`: a chargeback, and later the network's decision on it
 * (`chargeback_resolution`, won or lost). Signature and freshness checked, the terminal mapped to
 * its acquirer, network and mode, and the advice handed to the edge, whose answer (200 recorded, 404
 * nothing it names, 409 ambiguous or contradicting, 5xx try again) goes back to the acquirer so it
 * keeps retrying until we have it.
 */
export function networkRoutes(deps: NetworkDeps) {
  return new Hono<VaultEnv>().post("/chargebacks", async (c) => {
    const raw = await c.req.text();
    if (!verifyAcquirerSignature(deps.acquirerSecret, c.req.header("Acquirer-Signature"), raw)) {
      return c.json({ error: "bad or stale Acquirer-Signature" }, 401);
    }
    let advice: Advice;
    try {
      advice = adviceSchema.parse(JSON.parse(raw));
    } catch {
      return c.json({ error: "not a chargeback advice" }, 400);
    }
    const link = deps.linkOfTerminal(advice.terminal);
    if (!link) return c.json({ error: `unknown terminal ${advice.terminal}` }, 404);
    const answer = await handOver(deps, advice, link);
    log(answer.status === 200 ? "info" : "warn", `${advice.type} advice`, {
      chargeback_id: advice.chargeback_id,
      processor: link.processor,
      network: link.network,
      livemode: link.livemode,
      ...(advice.type === "chargeback_resolution" ? { outcome: advice.outcome } : {}),
      edge_status: answer.status,
    });
    return c.json(answer.body as object, answer.status as 200);
  });
}
