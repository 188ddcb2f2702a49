import { apiCall, type DevJson } from "../../test/support/running-stack.js";

/** What a fixed-rate run made: each payment's id, and how many sends started late. */
export interface FixedRateRun {
  payments: string[];
  /** Sends that could not start on time because `maxInFlight` calls were still waiting. */
  late: number;
  /**
   * Creates answered 202: accepted, but the processor's answer did not come within the create's
   * budget (the vault call's 25 s), so the payment finishes later from its alarm. The API's own
   * answer to a rate it cannot carry, so a step with any does not hold; still counted in `payments`.
   */
  accepted: number;
  seconds: number;
}

/**
 * Creates payments at `rate` per second for `seconds`, open loop: the n-th starts at n / rate
 * seconds whether or not the earlier ones have answered, as payers arrive (a closed loop would
 * slow down with the server and hide that it fell behind). When `maxInFlight` calls are
 * outstanding the next waits and is counted late: the API itself could not take the rate.
 * A 202 (accepted, still processing) is counted as `accepted`; any other answer but 200 fails the
 * run loudly (issue 17: a benchmark counts only what it measures).
 */
export async function createAtRate(
  dev: DevJson,
  body: unknown,
  rate: number,
  seconds: number,
  onPayment: (id: string) => void = () => {},
  maxInFlight = 64,
): Promise<FixedRateRun> {
  const payments: string[] = [];
  const calls = new Set<Promise<void>>();
  let late = 0;
  let accepted = 0;
  let failure: Error | undefined;
  const started = performance.now();
  const total = Math.round(rate * seconds);
  for (let n = 0; n < total && !failure; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (calls.size >= maxInFlight) {
      late++;
      await Promise.race(calls);
    }
    const call = apiCall(dev, "POST", "/v1/payments", { json: body, idempotencyKey: crypto.randomUUID() })
      .then((created) => {
        if (created.status === 202) accepted++;
        else if (created.status !== 200) throw new Error(`a create answered ${created.status}`);
        payments.push(created.json.id as string);
        onPayment(created.json.id as string);
      })
      .catch((error: Error) => {
        failure ??= error;
      })
      .finally(() => calls.delete(call));
    calls.add(call);
  }
  await Promise.all(calls);
  if (failure) throw new Error(`BENCHMARK FAILED at ${rate}/s: ${failure.message}`);
  return { payments, late, accepted, seconds: (performance.now() - started) / 1000 };
}
