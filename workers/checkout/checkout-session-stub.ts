import { ApiError } from "../errors/api-error.js";

const SESSION_ID = /^cs_([0-9a-f]{64})$/;

/** The session's object: its id is the Durable Object id, so no lookup is needed (as a payment's). */
export function checkoutSessionStub(env: Env, id: string) {
  const missing = new ApiError("resource_missing", { param: "id", message: `No such checkout session: '${id}'.` });
  const match = SESSION_ID.exec(id);
  if (!match?.[1]) throw missing;
  try {
    return env.CHECKOUT_SESSIONS.get(env.CHECKOUT_SESSIONS.idFromString(match[1]));
  } catch {
    throw missing; // 64 hex digits, but not an id this namespace issued
  }
}
