import { describe, expect, it } from "vitest";
import { hashCredential } from "../../common/api-key-secret.js";
import { hashCredentialSync } from "./credential-hash.js";

describe("the vault's credential hash", () => {
  it("equals the edge's, so both find the same api_keys row", async () => {
    for (const [pepper, key] of [
      ["pepper-one-0123456789", "pk_test_abcdefghijklmnopqrstuvwxyz012345"],
      ["ünïcode pepper", "sk_live_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"],
    ] as const) {
      expect(hashCredentialSync(pepper, key)).toBe(await hashCredential(pepper, key));
    }
  });
});
