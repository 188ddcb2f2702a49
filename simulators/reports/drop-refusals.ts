import { expect } from "vitest";

/** A pull of one day's report from a drop, with a bearer token or none. */
export type Pull = (day: string, token?: string | null) => Promise<Response>;

/**
 * What every drop must refuse, for the simulators' tests (report-drop.ts is the one drop): no
 * token or a wrong one is a 401 with its Bearer challenge (RFC 6750 §3) that never echoes the
 * token; a day that does not exist is a 400; a day to come has no file (404).
 */
export async function expectDropRefusals(pull: Pull, today: string, token: string): Promise<void> {
  for (const presented of [null, "wrong-token-0123456789"]) {
    const response = await pull(today, presented);
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer /);
    expect(await response.text()).not.toContain(token);
  }
  expect((await pull("2026-02-30")).status).toBe(400);
  expect((await pull("2999-01-01")).status).toBe(404);
}
