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

/** The same message sent again: ISO 8583:1987 sets the MTI's last digit to 1 (0220 -> 0221, 0400 -> 0401). */
export function repeatMti(mti: string): string {
  return `${mti.slice(0, 3)}1`;
}

function acceptor(config: CardNetworkConfig, own: Reference, currencyNumeric: string) {
  return {
    7: own.transmittedAt,
    11: own.stan,
    32: config.acquirerId,
    41: config.terminalId,
    49: currencyNumeric,
  };
}

export function authorizationMessage(
  config: CardNetworkConfig,
  request: AuthorizeRequest,
  own: Reference,
  currencyNumeric: string,
): IsoMessage {
  const card = request.card;
  const name = request.merchant.name.replace(/[^\x20-\x7e]/g, "?").slice(0, 40);
  return {
    mti: own.mti,
    fields: {
      ...acceptor(config, own, currencyNumeric),
      2: card.pan,
      3: "000000",
      4: String(request.amount),
      12: own.transmittedAt.slice(4),
      13: own.transmittedAt.slice(0, 4),
      14: `${String(card.expYear % 100).padStart(2, "0")}${String(card.expMonth).padStart(2, "0")}`,
      18: config.defaultMcc,
      22: config.posEntryMode,
      25: config.posConditionCode,
      37: own.rrn,
      42: request.merchant.id.slice(-15),
      43: name,
      // CVC2 as Mastercard DE 48 subelement 92 (tag 92, length 03/04): sent once, never stored.
      ...(card.cvc ? { 48: `92${String(card.cvc.length).padStart(2, "0")}${card.cvc}` } : {}),
    },
  };
}

/**
 * A message about an earlier one (completion 0220, reversal 0400, inquiry 0600, and their
 * repeats): field 37 carries the original's RRN and field 90 its original data elements.
 */
export function followUpMessage(
  mti: string,
  config: CardNetworkConfig,
  own: Reference,
  original: Reference,
  amount: number,
  currencyNumeric: string,
  reversalReason?: "17" | "68",
): IsoMessage {
  return {
    mti,
    fields: {
      ...acceptor(config, own, currencyNumeric),
      3: "000000",
      4: String(amount),
      37: original.rrn,
      // Field 39 in a reversal request is its reason: 17 customer cancellation, 68 response too late.
      ...(reversalReason ? { 39: reversalReason } : {}),
      90: originalData(original, config.acquirerId),
    },
  };
}

/** A refund is a financial request of its own (0200, processing code 20) with its own RRN. */
export function refundMessage(
  config: CardNetworkConfig,
  own: Reference,
  original: Reference,
  amount: number,
  currencyNumeric: string,
): IsoMessage {
  return {
    mti: "0200",
    fields: {
      ...acceptor(config, own, currencyNumeric),
      3: "200000", // processing code 20: refund / credit
      4: String(amount),
      37: own.rrn,
      48: `ORRN=${original.rrn}`,
    },
  };
}

export function echoMessage(stan: string, now: Date): IsoMessage {
  return { mti: "0800", fields: { 7: transmissionTime(now), 11: stan, 70: "301" } };
}
