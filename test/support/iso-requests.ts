import type { Iso8583Link } from "../../vault-service/connectors/card-network/iso8583-link.js";
import type { IsoMessage } from "../../vault-service/iso8583/message.js";

/**
 * An authorization (0100) or sale (0200) of 1,000 USD on `terminal`, with the link's next STAN and
 * an RRN made from it: for tests that speak ISO 8583 to an acquirer directly, below the connector.
 */
export function financialRequest(
  link: Iso8583Link,
  {
    pan = "4242424242424242",
    mti = "0100",
    terminal = "GWVISA01",
  }: { pan?: string; mti?: "0100" | "0200"; terminal?: string } = {},
): IsoMessage {
  const stan = link.nextStan();
  return {
    mti,
    fields: {
      2: pan,
      3: "000000",
      4: "1000",
      7: "1202011500",
      11: stan,
      12: "011500",
      13: "1202",
      14: "3412",
      18: "5999",
      22: "010",
      25: "59",
      32: "400001",
      37: `633601${stan}`,
      41: terminal,
      49: "840",
    },
  };
}
