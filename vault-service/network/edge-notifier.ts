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

/**
 * Hands the edge what a card network told the connector service, with a one-use ES256 service
 * token (60 s, fresh `jti`) signed by VAULT_NOTIFY_SIGNING_KEY; the edge holds only the public
 * key. Returns the edge's HTTP status and body, for the acquirer's answer.
 */
export function edgeNotifier(edgeUrl: string, signingKey: string) {
  const jwk = JSON.parse(signingKey) as JWK;
  const key = importJWK({ ...jwk, alg: "ES256" }, "ES256");
  return async (chargeback: EdgeChargeback): Promise<{ status: number; body: unknown }> => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", ...(jwk.kid ? { kid: jwk.kid } : {}) })
      .setIssuer(VAULT_ISSUER)
      .setAudience(EDGE_AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime("60s")
      .sign(await key);
    const response = await fetch(`${edgeUrl}/internal/v1/disputes`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(chargeback),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  };
}
