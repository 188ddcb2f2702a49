import type { IsoMessage } from "../../iso8583/message.js";
import type { AuthorizeRequest } from "../card-connector.js";
import type { CardNetworkConfig } from "./network-config.js";

/** Field 7 and friends are UTC: MMDDhhmmss. */
export function transmissionTime(now: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
}

/** Retrieval reference number: YDDD (Julian date) + hh + STAN, 12 characters (Visa's convention). */
export function retrievalReference(now: Date, stan: string): string {
  const start = Date.UTC(now.getUTCFullYear(), 0, 0);
  const dayOfYear = Math.floor((now.getTime() - start) / 86_400_000);
  return `${String(now.getUTCFullYear()).slice(-1)}${String(dayOfYear).padStart(3, "0")}${String(now.getUTCHours()).padStart(2, "0")}${stan}`;
}

/**
 * What later messages need to name an earlier one. Opaque to the edge: it stores and returns
 * this string as the payment's processor reference.
 */
export interface Reference {
  rrn: string;
  mti: string;
  stan: string;
  transmittedAt: string;
}

export function encodeReference(reference: Reference): string {
  return `${reference.rrn}-${reference.mti}-${reference.stan}-${reference.transmittedAt}`;
}

export function decodeReference(text: string): Reference | null {
  const match = /^([0-9A-Za-z]{12})-(\d{4})-(\d{6})-(\d{10})$/.exec(text);
  if (!match) return null;
  return { rrn: match[1] ?? "", mti: match[2] ?? "", stan: match[3] ?? "", transmittedAt: match[4] ?? "" };
}

/** Field 90 (see simulators/acquirer/original-data.ts for the layout). */
export function originalData(reference: Reference, acquirerId: string): string {
  return `${reference.mti}${reference.stan}${reference.transmittedAt}${acquirerId.padStart(11, "0")}${"0".repeat(11)}`;
}

function acceptor(config: CardNetworkConfig, stan: string, now: Date, currencyNumeric: string) {
  return {
    7: transmissionTime(now),
    11: stan,
    32: config.acquirerId,
    41: config.terminalId,
    49: currencyNumeric,
  };
}

export function authorizationMessage(
  config: CardNetworkConfig,
  request: AuthorizeRequest,
  stan: string,
  rrn: string,
  now: Date,
  currencyNumeric: string,
): IsoMessage {
  const card = request.card;
  const name = request.merchant.name.replace(/[^\x20-\x7e]/g, "?").slice(0, 40);
  return {
    mti: request.kind === "sale" ? "0200" : "0100",
    fields: {
      ...acceptor(config, stan, now, currencyNumeric),
      2: card.pan,
      3: "000000",
      4: String(request.amount),
      12: transmissionTime(now).slice(4),
      13: transmissionTime(now).slice(0, 4),
      14: `${String(card.expYear % 100).padStart(2, "0")}${String(card.expMonth).padStart(2, "0")}`,
      18: config.defaultMcc,
      22: config.posEntryMode,
      25: config.posConditionCode,
      37: rrn,
      42: request.merchant.id.slice(-15),
      43: name,
      // CVC2 as Mastercard DE 48 subelement 92 (tag 92, length 03/04): sent once, never stored.
      ...(card.cvc ? { 48: `92${String(card.cvc.length).padStart(2, "0")}${card.cvc}` } : {}),
    },
  };
}

export function followUpMessage(
  kind: "completion" | "reversal" | "inquiry",
  config: CardNetworkConfig,
  original: Reference,
  stan: string,
  now: Date,
  amount: number,
  currencyNumeric: string,
  reversalReason: "17" | "68" = "17",
): IsoMessage {
  const mti = { completion: "0220", reversal: "0400", inquiry: "0600" }[kind];
  return {
    mti,
    fields: {
      ...acceptor(config, stan, now, currencyNumeric),
      3: "000000",
      4: String(amount),
      37: original.rrn,
      // Field 39 in a reversal request is its reason: 17 customer cancellation, 68 response too late.
      ...(kind === "reversal" ? { 39: reversalReason } : {}),
      90: originalData(original, config.acquirerId),
    },
  };
}

export function refundMessage(
  config: CardNetworkConfig,
  original: Reference,
  stan: string,
  rrn: string,
  now: Date,
  amount: number,
  currencyNumeric: string,
): IsoMessage {
  return {
    mti: "0200",
    fields: {
      ...acceptor(config, stan, now, currencyNumeric),
      3: "200000", // processing code 20: refund / credit
      4: String(amount),
      37: rrn,
      48: `ORRN=${original.rrn}`,
    },
  };
}

export function echoMessage(stan: string, now: Date): IsoMessage {
  return { mti: "0800", fields: { 7: transmissionTime(now), 11: stan, 70: "301" } };
}
