import { answerWithin } from "../../common/answer-within.js";
import type { ProcessorId } from "../../common/processor-registry.js";
import type { Admission, HealthOutcome } from "../../durable-objects/processor-health/processor-health.types.js";
import { processorHealthName } from "../../durable-objects/processor-health/processor-health-name.js";
import { describeError } from "../logging/logger.js";
import { HEALTH_READS, healthCache } from "./health-snapshot.js";
import { throttledWarning } from "./throttled-warning.js";

const warnUnrecorded = throttledWarning("processor health outcome not recorded");
const warnUnadmitted = throttledWarning("processor health unreachable; admitting the attempt");

/**
 * Counts one attempt's definite outcome in the processor's health, and in this isolate's cache
 * at once. Never rejects and never throws: health is advice to the router, and a payment never
 * fails because its outcome could not be counted. Await it, or hand it to `waitUntil`.
 */
export async function recordOutcome(
  env: Env,
  processor: ProcessorId,
  livemode: boolean,
  outcome: HealthOutcome,
): Promise<void> {
  try {
    const health = await env.PROCESSOR_HEALTH.getByName(processorHealthName(processor, livemode)).record(outcome);
    healthCache(env, livemode).update(health);
  } catch (error) {
    warnUnrecorded({ processor, livemode, ...describeError(error) });
  }
}

/**
 * Whether an attempt may go to a processor whose breaker is not closed (see `healthSnapshot`):
 * while half-open, this takes one of its few probe slots. Fails open: if the object cannot say
 * (an error, or no answer within `HEALTH_READS.answerMs`), the attempt goes, as it would have
 * before health existed.
 */
export async function admitAttempt(env: Env, processor: ProcessorId, livemode: boolean): Promise<Admission> {
  try {
    // On the payment's path: a health object that does not answer soon admits, like one that fails.
    const health = env.PROCESSOR_HEALTH.getByName(processorHealthName(processor, livemode));
    return await answerWithin(health.admit(), HEALTH_READS.answerMs, `health of ${processor}`);
  } catch (error) {
    warnUnadmitted({ processor, livemode, ...describeError(error) });
    return { admitted: true, state: "closed" };
  }
}
