import { randomUUID } from "node:crypto";
import { importJWK, type JWK, SignJWT } from "jose";

/** Matches workers/disputes/vault-service-token.ts. */
const VAULT_ISSUER = "vault-service";
const EDGE_AUDIENCE = "gateway-edge";

export interface EdgeChargeback {
  processor: string;
  /** The card network of the terminal the advice names. */
  network: "visa" | "mastercard";
  /** The mode of the terminal the advice names. */
  livemode: boolean;
  network_reference: string;
  rrn: string;
  /** The disputed amount. */
  amount: number;
  /** The disputed transaction's amount and, when known, its day (YYYY-MM-DD): they pick the payment. */
  transaction_amount: number;
  transaction_date?: string;
  currency: string;
  reason: string;
}

/** The network's decision on a chargeback, named as the chargeback was (processor, mode, the acquirer's id). */
export interface EdgeDisputeOutcome {
  processor: string;
  livemode: boolean;
  network_reference: string;
  /** For the merchant: `won`, the disputed amount comes back; `lost`, it stays with the cardholder. */
  outcome: "won" | "lost";
}

/** The edge's HTTP status and body, for the acquirer's answer. */
export interface EdgeAnswer {
  status: number;
  body: unknown;
}

export interface EdgeNotifier {
  chargeback(chargeback: EdgeChargeback): Promise<EdgeAnswer>;
  outcome(outcome: EdgeDisputeOutcome): Promise<EdgeAnswer>;
}

/**
 * Hands the edge what a card network told the connector service, each call with a one-use ES256
 * service token (60 s, fresh `jti`) signed by VAULT_NOTIFY_SIGNING_KEY; the edge holds only the
 * public key. A chargeback goes to `/internal/v1/disputes`, the network's decision on it to
 * `/internal/v1/disputes/outcomes`.
 */
export function edgeNotifier(edgeUrl: string, signingKey: string): EdgeNotifier {
  const jwk = JSON.parse(signingKey) as JWK;
  const key = importJWK({ ...jwk, alg: "ES256" }, "ES256");
  const post = async (path: string, body: object): Promise<EdgeAnswer> => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", ...(jwk.kid ? { kid: jwk.kid } : {}) })
      .setIssuer(VAULT_ISSUER)
      .setAudience(EDGE_AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime("60s")
      .sign(await key);
    const response = await fetch(`${edgeUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  };
  return {
    chargeback: (chargeback) => post("/internal/v1/disputes", chargeback),
    outcome: (outcome) => post("/internal/v1/disputes/outcomes", outcome),
  };
}
