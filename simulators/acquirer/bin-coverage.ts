/**
 * Which cards this acquirer has a route for, by BIN prefix (the leading digits of the card
 * number, ISO/IEC 7812). Real acquirers do not reach every issuer: a card outside their coverage
 * gets field 39 code 92 ("financial institution or intermediate network facility cannot be found
 * for routing", ISO 8583:1987 Annex A), which the processor registry classes a soft decline, so
 * the gateway may try another processor. `null` covers every card.
 */
export type BinCoverage = readonly string[] | null;

/** ISO 8583 field 39: no route to the issuer from here. */
export const NO_ROUTE_CODE = "92";

/** `ACQUIRER_BINS`: comma-separated prefixes ("4242,5555"); empty or unset covers every card. */
export function parseBinCoverage(text: string | undefined): BinCoverage {
  const prefixes = (text ?? "")
    .split(",")
    .map((prefix) => prefix.trim())
    .filter((prefix) => prefix !== "");
  if (prefixes.length === 0) return null;
  // The value is not echoed: a mistaken entry could be a whole card number.
  if (prefixes.some((prefix) => !/^\d{1,11}$/.test(prefix))) {
    throw new Error("ACQUIRER_BINS: each BIN prefix must be 1-11 digits, comma-separated");
  }
  return prefixes;
}

export function covers(coverage: BinCoverage, pan: string): boolean {
  return coverage === null || coverage.some((prefix) => pan.startsWith(prefix));
}
