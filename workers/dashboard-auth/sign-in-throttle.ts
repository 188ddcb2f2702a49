import { answerWithin } from "../../common/answer-within.js";
import { sha256Hex } from "../../common/sha256-hex.js";
import { ApiError } from "../errors/api-error.js";
import { clientAddress } from "../rate-limits/client-address.js";
import { type Counted, countRequest, LIMITER_ANSWER_MS } from "../rate-limits/limiter-client.js";
import { rateLimitHeaders } from "../rate-limits/rate-limit.js";
import { normalizeEmail } from "./dashboard-users.repository.js";

/**
 * Sign-in throttling (OWASP ASVS 2.2.1, NIST SP 800-63B §5.2.2): failed sign-ins are counted in
 * the gateway's limiter objects (workers/rate-limits), per email (at most 5 per 15 minutes: a
 * password guesser on one account) and per client address (at most 20: one guessing across
 * accounts). Once a count is spent, every attempt on it is answered 429 with `Retry-After`
 * before the password is even checked, a right one included, until the window ends. Success
 * spends nothing. The email is counted by its hash, so no limiter name holds an address.
 */
export const FAILURES_PER_EMAIL = 5;
export const FAILURES_PER_ADDRESS = 20;
export const FAILURE_WINDOW_SECONDS = 15 * 60;

interface Counter {
  name: string;
  limit: number;
  what: string;
}

async function counters(email: string, connectingIp: string | undefined): Promise<Counter[]> {
  return [
    {
      name: `dashboard-sign-in/email/${await sha256Hex(normalizeEmail(email))}`,
      limit: FAILURES_PER_EMAIL,
      what: "this account",
    },
    {
      name: `dashboard-sign-in/address/${clientAddress(connectingIp)}`,
      limit: FAILURES_PER_ADDRESS,
      what: "your address",
    },
  ];
}

function refused(counter: Counter, counted: Pick<Counted, "limit" | "windowSeconds" | "resetSeconds">): ApiError {
  const retry = Math.max(1, counted.resetSeconds);
  return new ApiError("rate_limit_error", {
    message: `Too many failed sign-ins for ${counter.what}: at most ${counter.limit} per ${FAILURE_WINDOW_SECONDS / 60} minutes. Retry after the time in Retry-After.`,
    headers: {
      ...rateLimitHeaders({ ...counted, allowed: false, remaining: 0, retryAfterSeconds: retry }),
      "Retry-After": String(retry),
    },
  });
}

/**
 * Refuses (429) when the email or address has no failures left. Reads the limiter without
 * counting. These limits are small, so each lives in one limiter object (shard 0, shards.ts).
 * If a limiter does not answer, the attempt goes on: the failure count below still falls back to
 * this isolate (limiter-client.ts), so guessing stays bounded.
 */
export async function assertSignInAllowed(env: Env, email: string, connectingIp: string | undefined): Promise<void> {
  for (const counter of await counters(email, connectingIp)) {
    const peeked = await answerWithin(
      env.RATE_LIMITER.getByName(`${counter.name}/0`).peek(counter.limit, FAILURE_WINDOW_SECONDS * 1000),
      LIMITER_ANSWER_MS,
      "the limiter",
    ).catch(() => null);
    if (peeked && !peeked.allowed) {
      const resetSeconds = Math.ceil((peeked.resetAt - Date.now()) / 1000);
      throw refused(counter, { limit: counter.limit, windowSeconds: FAILURE_WINDOW_SECONDS, resetSeconds });
    }
  }
}

/** Counts one failed sign-in against the email and the address. */
export async function countSignInFailure(env: Env, email: string, connectingIp: string | undefined): Promise<void> {
  for (const counter of await counters(email, connectingIp)) {
    const counted = await countRequest(env, counter.name, counter.limit, FAILURE_WINDOW_SECONDS);
    if (!counted.allowed) throw refused(counter, counted);
  }
}
