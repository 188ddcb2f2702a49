import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importUpiSigningKey } from "../../common/upi/upi-signature.js";
import { newRsaPrivateJwk } from "../../scripts/lib/private-jwk.js";
import { apiCall, type DevJson } from "./running-stack.js";
import { eventually } from "./webhook-receiver.js";

/** A UPI payment as a merchant creates it: a collect to `vpa`, or an intent. */
export function upiPayment(
  dev: DevJson,
  p: { amount: number; flow: "collect"; vpa: string } | { amount: number; flow: "intent" },
  idempotencyKey?: string,
) {
  const upi = p.flow === "collect" ? { flow: "collect", vpa: p.vpa } : { flow: "intent" };
  return apiCall(dev, "POST", "/v1/payments", {
    json: { amount: p.amount, currency: "inr", payment_method: { type: "upi", upi } },
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
}

/** The payment once it has reached `status` (read through the API, as a merchant polls). */
export async function waitForStatus(dev: DevJson, id: string, status: string, timeoutMs = 15_000): Promise<any> {
  const answer = await eventually(
    () => apiCall(dev, "GET", `/v1/payments/${id}`),
    (read) => read.json.status === status,
    timeoutMs,
  );
  return answer.json;
}

/** The switch's own books for one transaction (its admin API). */
export async function switchTransaction(dev: DevJson, txnId: string): Promise<any> {
  const response = await fetch(`${dev.upi_switch_admin}/transactions/${txnId}`);
  if (response.status !== 200) throw new Error(`switch has no transaction ${txnId}: ${response.status}`);
  return response.json();
}

/**
 * An attacker's signer: a fresh RSA key under the switch's real key name (from the stack's
 * `upi-keys.json`), so what is refused is the signature itself, not an unknown name.
 */
export async function forgedSigner(dataDir: string) {
  const stored = JSON.parse(readFileSync(join(dataDir, "upi-keys.json"), "utf8")) as { switch: { kid: string } };
  const jwk = { ...newRsaPrivateJwk(), kid: stored.switch.kid, alg: "RS256" };
  return importUpiSigningKey(JSON.stringify(jwk));
}
