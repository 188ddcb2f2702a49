import { env } from "cloudflare:test";
import { vi } from "vitest";

/** One call the edge made to the vault: its path (`authorize`, `capture`, ...) and its body. */
export interface VaultCall {
  path: string;
  body: Record<string, unknown>;
}

const CARD = { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2030, funding: "credit", country: "US" };

/**
 * Answers the vault's internal API in this tier, which runs no vault: the payment objects run in
 * the test's isolate, so their `fetch` is this one; anything not for the vault goes out as usual.
 * Undo with `vi.restoreAllMocks()`.
 */
function interceptVault(answer: (call: VaultCall) => Response | Promise<Response>): VaultCall[] {
  const calls: VaultCall[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(`${env.VAULT_URL}/internal/v1/`)) return real(input, init);
    const call = {
      path: url.slice(`${env.VAULT_URL}/internal/v1/`.length),
      body: JSON.parse(String(init?.body)) as Record<string, unknown>,
    };
    calls.push(call);
    return answer(call);
  });
  return calls;
}

/** Approves every operation at once (at acquirer A, when the edge names no processor) and records what it was asked. */
export function approvingVault(): VaultCall[] {
  return interceptVault(({ body }) =>
    Response.json({
      outcome: "approved",
      processor: body.processor ?? "acquirer_a",
      processor_reference: `ref_${String(body.operation_id)}`,
      auth_code: "123456",
      card: CARD,
    }),
  );
}

/**
 * What a processor answers an authorization: approve; decline with an ISO 8583 field 39 code (or
 * the aggregator's), as the vault reports it (`network_response_code`); never sent
 * (`unavailable`); sent and unanswered (`unknown`: the vault is resolving it); or sent, lost and
 * confirmed without effect (`no_effect`).
 */
export type ProcessorAnswer =
  | "approve"
  | "unavailable"
  | "unknown"
  | "no_effect"
  | { decline: string; decline_code?: string };

/** The vault's answer body for `operation` at `processor`. */
function answerBody(answer: ProcessorAnswer, processor: string, operation: string): Record<string, unknown> {
  const reference = `ref_${operation}`;
  if (typeof answer === "object") {
    return {
      outcome: "declined",
      processor,
      processor_reference: reference,
      decline_code: answer.decline_code ?? "card_declined",
      decline_retry: "soft",
      network_response_code: answer.decline,
      card: CARD,
    };
  }
  switch (answer) {
    case "approve":
      return { outcome: "approved", processor, processor_reference: reference, auth_code: "123456", card: CARD };
    case "unavailable":
      return { outcome: "unavailable", processor, reason: "connection refused", card: CARD };
    case "unknown":
      return { outcome: "unknown", processor, processor_reference: reference, resolution: "reversal", card: CARD };
    case "no_effect":
      return { outcome: "no_effect", processor, processor_reference: reference, card: CARD };
  }
}

export interface ScriptedVault {
  /** Every call, in order. */
  calls: VaultCall[];
  /** The processors authorizations were sent to, in order (null: none named). */
  authorizedAt(): (string | null)[];
  /** What an inquiry about `operation` finds from now on (until then: still unknown). */
  resolve(operation: string, answer: ProcessorAnswer): void;
}

/**
 * A vault whose processors answer as scripted, per processor (a processor not in the script
 * approves); follow-ups (capture, void, refund) are approved at the processor they name.
 */
export function scriptedVault(script: Partial<Record<string, ProcessorAnswer>>): ScriptedVault {
  const resolutions = new Map<string, ProcessorAnswer>();
  const processors = new Map<string, string>();
  const calls = interceptVault(({ path, body }) => {
    const operation = String(body.operation_id);
    if (path === "inquire") {
      const resolution = resolutions.get(operation);
      const processor = processors.get(operation) ?? "acquirer_a";
      return Response.json(
        resolution
          ? answerBody(resolution, processor, operation)
          : { outcome: "unknown", processor, processor_reference: null, resolution: "reversal" },
      );
    }
    const processor = typeof body.processor === "string" ? body.processor : "acquirer_a";
    processors.set(operation, processor);
    const answer = path === "authorize" ? (script[processor] ?? "approve") : "approve";
    return Response.json(answerBody(answer, processor, operation));
  });
  return {
    calls,
    authorizedAt: () =>
      calls
        .filter((call) => call.path === "authorize")
        .map((call) => (typeof call.body.processor === "string" ? call.body.processor : null)),
    resolve: (operation, answer) => {
      resolutions.set(operation, answer);
    },
  };
}
