import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { openNetworkApi } from "./open-network-api.js";

describe("the inbound network API's terminals", () => {
  it("takes chargeback advices for this vault's terminals of both modes, and no other", async () => {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const network = openNetworkApi({
      ACQUIRER_NOTIFY_SECRET: randomBytes(32).toString("base64"),
      EDGE_URL: "http://127.0.0.1:1",
      VAULT_NOTIFY_SIGNING_KEY: JSON.stringify(await exportJWK(privateKey)),
      VISA_TERMINAL_ID: "GWVISA01",
      MASTERCARD_TERMINAL_ID: "GWMC0001",
      LIVE_VISA_TERMINAL_ID: "GWVISL01",
      LIVE_MASTERCARD_TERMINAL_ID: "GWMCL001",
    });
    const linkOf = (terminal: string) => network?.linkOfTerminal(terminal);
    expect(["GWVISA01", "GWVISL01", "GWMC0001", "GWMCL001"].map(linkOf)).toEqual([
      { processor: "visa", livemode: false },
      { processor: "visa", livemode: true },
      { processor: "mastercard", livemode: false },
      { processor: "mastercard", livemode: true },
    ]);
    expect(linkOf("GWVISA02")).toBeNull();
  });
});
