import { apiCall, type DevJson, type JsonAnswer } from "../../test/support/running-stack.js";

/**
 * A payment's latency at the merchant's end, first-attempt successes on acquirer A against
 * failovers (A refusing connections, so the vault answers `unavailable` and the payment object
 * tries acquirer B), through the whole stack. Any other answer ends the benchmark.
 */

type Expected = { processor: "acquirer_a" | "acquirer_b"; attempts: ["acquirer_a"] | ["acquirer_a", "acquirer_b"] };

const FIRST_ATTEMPT: Expected = { processor: "acquirer_a", attempts: ["acquirer_a"] };
const FAILOVER: Expected = { processor: "acquirer_b", attempts: ["acquirer_a", "acquirer_b"] };

function check(answer: JsonAnswer, expected: Expected, what: string): void {
  const attempts = (answer.json.attempts ?? []) as { processor: string; status: string }[];
  const ok =
    answer.status === 200 &&
    answer.json.status === "authorized" &&
    answer.json.processor === expected.processor &&
    attempts.length === expected.attempts.length &&
    attempts.every((attempt, i) => attempt.processor === expected.attempts[i]) &&
    attempts.at(-1)?.status === "succeeded";
  if (!ok) {
    throw new Error(
      `${what}: expected 200, authorized on ${expected.processor} after ${expected.attempts.join(" then ")}; got ${answer.status}:\n${JSON.stringify(answer.json, null, 2)}`,
    );
  }
}

async function setFault(dev: DevJson, mode: "refuse" | "none"): Promise<void> {
  const response = await fetch(`${dev.acquirer_admin}/faults`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ mode }),
  });
  if (response.status !== 200) throw new Error(`PUT faults ${mode}: ${response.status} ${await response.text()}`);
  // The vault learns that A dropped its connection from the FIN; give it that moment, untimed,
  // so the timed payment meets a refused connect rather than a write to a dying socket.
  await new Promise((resolve) => setTimeout(resolve, 50));
}

/** One manual-capture payment, checked; its latency from request to parsed answer, and its first attempt's as recorded. */
async function pay(
  dev: DevJson,
  token: string,
  expected: Expected,
  what: string,
): Promise<{ elapsed: number; firstAttemptMs: number }> {
  const started = performance.now();
  const answer = await apiCall(dev, "POST", "/v1/payments", {
    json: { amount: 1_000, currency: "usd", payment_method: { type: "card", token }, capture_method: "manual" },
    idempotencyKey: crypto.randomUUID(),
  });
  const elapsed = performance.now() - started;
  check(answer, expected, what);
  return { elapsed, firstAttemptMs: Number(answer.json.attempts[0].latency_ms) };
}

/**
 * `rounds` rounds, each: two untimed successes, one timed success, A refused, one timed failover,
 * A healed. The untimed ones keep A's authorization rate at 3 in 4, above the health object's
 * demotion floor (0.7) and its breaker's technical-failure threshold, so every failover really
 * tries A first: 40 failovers straight after 40 successes would demote A after about 20, and the
 * rest would go to B first, with one attempt. A is healed however the rounds end.
 */
export async function failoverLatencies(
  dev: DevJson,
  token: string,
  rounds: number,
): Promise<{ firstAttempt: number[]; failover: number[]; refusedAttempt: number[] }> {
  const firstAttempt: number[] = [];
  const failover: number[] = [];
  const refusedAttempt: number[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      await pay(dev, token, FIRST_ATTEMPT, `round ${round}, untimed success`);
      await pay(dev, token, FIRST_ATTEMPT, `round ${round}, untimed success`);
      firstAttempt.push((await pay(dev, token, FIRST_ATTEMPT, `round ${round}, first-attempt success`)).elapsed);
      await setFault(dev, "refuse");
      const failed = await pay(dev, token, FAILOVER, `round ${round}, failover`);
      failover.push(failed.elapsed);
      refusedAttempt.push(failed.firstAttemptMs);
      await setFault(dev, "none");
    }
  } finally {
    await setFault(dev, "none");
  }
  return { firstAttempt, failover, refusedAttempt };
}
