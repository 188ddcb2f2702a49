import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { openNetworkApi } from "./open-network-api.js";

describe("the inbound network API's terminals", () => {
  it("takes chargeback advices for this vault's terminals of both modes and both acquirers, and no other", async () => {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const network = openNetworkApi({
      ACQUIRER_NOTIFY_SECRET: randomBytes(32).toString("base64"),
      EDGE_URL: "http://127.0.0.1:1",
      VAULT_NOTIFY_SIGNING_KEY: JSON.stringify(await exportJWK(privateKey)),
      VISA_TERMINAL_ID: "GWVISA01",
      MASTERCARD_TERMINAL_ID: "GWMC0001",
      LIVE_VISA_TERMINAL_ID: "GWVISL01",
      LIVE_MASTERCARD_TERMINAL_ID: "GWMCL001",
      ACQUIRER_B_VISA_TERMINAL_ID: "GWBVIS01",
      ACQUIRER_B_MASTERCARD_TERMINAL_ID: "GWBMC001",
      LIVE_ACQUIRER_B_VISA_TERMINAL_ID: "GWBVIL01",
      LIVE_ACQUIRER_B_MASTERCARD_TERMINAL_ID: "GWBMCL01",
    });
    const linkOf = (terminal: string) => network?.linkOfTerminal(terminal);
    expect(["GWVISA01", "GWVISL01", "GWMC0001", "GWMCL001", "GWBVIS01", "GWBMCL01"].map(linkOf)).toEqual([
      { processor: "acquirer_a", network: "visa", livemode: false },
      { processor: "acquirer_a", network: "visa", livemode: true },
      { processor: "acquirer_a", network: "mastercard", livemode: false },
      { processor: "acquirer_a", network: "mastercard", livemode: true },
      { processor: "acquirer_b", network: "visa", livemode: false },
      { processor: "acquirer_b", network: "mastercard", livemode: true },
    ]);
    expect(linkOf("GWVISA02")).toBeNull();
  });
});
