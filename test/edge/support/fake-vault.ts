import { env } from "cloudflare:test";
import { vi } from "vitest";

/** One call the edge made to the vault: its path (`authorize`, `capture`, ...) and its body. */
export interface VaultCall {
  path: string;
  body: Record<string, unknown>;
}

const CARD = { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2030, funding: "credit", country: "US" };

/**
 * Stands in for the vault, which this tier does not run: approves every operation at once and
 * records what it was asked. The payment objects run in the test's isolate, so their `fetch` is
 * this one; anything not for the vault goes out as usual. Undo with `vi.restoreAllMocks()`.
 */
export function approvingVault(): VaultCall[] {
  const calls: VaultCall[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(`${env.VAULT_URL}/internal/v1/`)) return real(input, init);
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    calls.push({ path: url.slice(`${env.VAULT_URL}/internal/v1/`.length), body });
    return Response.json({
      outcome: "approved",
      processor: "visa",
      processor_reference: `ref_${String(body.operation_id)}`,
      auth_code: "123456",
      card: CARD,
    });
  });
  return calls;
}
