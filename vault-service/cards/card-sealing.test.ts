import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { open } from "../keys/envelope.js";
import { SoftwareKeyProvider } from "../keys/software-key-provider.js";
import { type CardRecord, openCard, sealCard } from "./card-sealing.js";

let dir: string;
let keys: SoftwareKeyProvider;
const card: CardRecord = { number: "4242424242424242", expMonth: 12, expYear: 2030, name: "Jane Doe" };
const binding = { token: "tok_one", merchantId: "acct_one" };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vault-sealing-"));
  keys = await SoftwareKeyProvider.open({ file: join(dir, "keks.json") });
});
afterAll(async () => {
  await keys.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sealed card records", () => {
  it("round-trip the card, and hold no CVC", async () => {
    const sealed = await sealCard(keys, card, binding);
    expect(await openCard(keys, sealed, binding)).toEqual(card);
    const raw = JSON.parse(
      (
        await open(keys, sealed, Buffer.from(JSON.stringify(["vault_cards/v1", binding.token, binding.merchantId])))
      ).toString(),
    );
    expect(Object.keys(raw).sort()).toEqual(["exp_month", "exp_year", "name", "number", "v"]);
  });

  it("do not open when moved to another token or another merchant", async () => {
    const sealed = await sealCard(keys, card, binding);
    await expect(openCard(keys, sealed, { ...binding, token: "tok_two" })).rejects.toThrow(/authentication failed/);
    await expect(openCard(keys, sealed, { ...binding, merchantId: "acct_two" })).rejects.toThrow(
      /authentication failed/,
    );
  });
});
