import type { IsoMessage } from "../../vault-service/iso8583/message.js";
import { responseMti } from "../../vault-service/iso8583/message.js";
import type { EntryKind, Ledger, LedgerEntry } from "./ledger.js";
import { issuerDecision } from "./test-cards.js";

/** Fields a response echoes from its request (ISO 8583:1987 response conventions). */
const ECHOED = [2, 3, 4, 7, 11, 12, 13, 32, 37, 41, 42, 49, 70, 90, 100];

function respond(request: IsoMessage, responseCode: string, extra: Partial<Record<number, string>> = {}): IsoMessage {
  const fields: Partial<Record<number, string>> = {};
  for (const field of ECHOED) if (request.fields[field] !== undefined) fields[field] = request.fields[field];
  // The PAN is echoed masked: a response has no reason to carry it in full.
  if (fields[2]) fields[2] = `${fields[2].slice(0, 6)}${"0".repeat(fields[2].length - 10)}${fields[2].slice(-4)}`;
  return { mti: responseMti(request.mti), fields: { ...fields, 39: responseCode, ...extra } };
}

let authSequence = 0;
function authCode(): string {
  authSequence = (authSequence + 1) % 1_000_000;
  return String(authSequence).padStart(6, "0");
}

/**
 * The simulated acquirer + issuer: decides each request and books it. Pure apart from the
 * ledger, so the TCP server only frames, applies faults, and writes.
 */
export class IssuerHost {
  constructor(
    private readonly ledger: Ledger,
    private readonly network: string,
  ) {}

  handle(request: IsoMessage, now = new Date()): IsoMessage {
    switch (request.mti) {
      case "0100":
        return this.authorize(request, "authorization", now);
      case "0200":
        return request.fields[3]?.startsWith("20") ? this.refund(request) : this.authorize(request, "sale", now);
      case "0220":
        return this.complete(request);
      case "0400":
        return this.reverse(request);
      case "0600":
        return this.inquire(request);
      case "0800":
        return respond(request, "00");
      default:
        return respond(request, "12");
    }
  }

  private authorize(request: IsoMessage, kind: EntryKind, now: Date): IsoMessage {
    const rrn = request.fields[37] ?? "";
    const existing = this.ledger.get(request.fields[41] ?? "", rrn);
    // A retransmission of a request already booked gets the booked answer, not a second charge.
    if (existing) return respond(request, existing.responseCode, existing.authCode ? { 38: existing.authCode } : {});
    const pan = request.fields[2] ?? "";
    const amount = Number(request.fields[4] ?? "0");
    const code = issuerDecision(pan, request.fields[14], amount, now);
    const approved = code === "00";
    const entry: LedgerEntry = {
      terminal: request.fields[41] ?? "",
      rrn,
      stan: request.fields[11] ?? "",
      kind,
      network: this.network,
      last4: pan.slice(-4),
      amount,
      currency: request.fields[49] ?? "",
      responseCode: code,
      authCode: approved ? authCode() : null,
      status: approved ? (kind === "sale" ? "captured" : "approved") : "declined",
      capturedAmount: approved && kind === "sale" ? amount : 0,
      refundedAmount: 0,
      originalRrn: null,
      reversals: 0,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    this.ledger.save(entry);
    return respond(request, code, entry.authCode ? { 38: entry.authCode } : {});
  }

  /** 0220 completion: captures up to the authorized amount, once. */
  private complete(request: IsoMessage): IsoMessage {
    const original = this.ledger.get(request.fields[41] ?? "", request.fields[37] ?? "");
    if (original?.kind !== "authorization") return respond(request, "25");
    const amount = Number(request.fields[4] ?? "0");
    if (original.status === "captured" && original.capturedAmount === amount) return respond(request, "00");
    if (original.status !== "approved") return respond(request, "12");
    if (amount <= 0 || amount > original.amount) return respond(request, "13");
    this.ledger.save({ ...original, status: "captured", capturedAmount: amount });
    return respond(request, "00");
  }

  /** 0400 reversal: voids an approved authorization; idempotent, and accepted even if unknown. */
  private reverse(request: IsoMessage): IsoMessage {
    const original = this.ledger.get(request.fields[41] ?? "", request.fields[37] ?? "");
    if (original && original.status !== "reversed") {
      this.ledger.save({ ...original, status: "reversed", reversals: original.reversals + 1 });
    } else if (original) {
      this.ledger.save({ ...original, reversals: original.reversals + 1 });
    }
    return respond(request, "00");
  }

  /** 0200 with processing code 20: a refund (credit) against a captured transaction. */
  private refund(request: IsoMessage): IsoMessage {
    const refundRrn = request.fields[37] ?? "";
    const terminal = request.fields[41] ?? "";
    const already = this.ledger.get(terminal, refundRrn);
    if (already) return respond(request, already.responseCode);
    const originalRrn = request.fields[48]?.match(/ORRN=([0-9A-Za-z]{12})/)?.[1];
    const original = originalRrn ? this.ledger.get(terminal, originalRrn) : undefined;
    const amount = Number(request.fields[4] ?? "0");
    let code = "00";
    if (original?.status !== "captured") code = "25";
    else if (amount <= 0 || original.refundedAmount + amount > original.capturedAmount) code = "13";
    if (original && code === "00") this.ledger.save({ ...original, refundedAmount: original.refundedAmount + amount });
    this.ledger.save({
      terminal,
      rrn: refundRrn,
      stan: request.fields[11] ?? "",
      kind: "refund",
      network: this.network,
      last4: original?.last4 ?? "",
      amount,
      currency: request.fields[49] ?? "",
      responseCode: code,
      authCode: null,
      status: code === "00" ? "captured" : "declined",
      capturedAmount: code === "00" ? amount : 0,
      refundedAmount: 0,
      originalRrn: originalRrn ?? null,
      reversals: 0,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    });
    return respond(request, code);
  }

  /** 0600 inquiry: the booked outcome of an earlier request, by its RRN. */
  private inquire(request: IsoMessage): IsoMessage {
    const original = this.ledger.get(request.fields[41] ?? "", request.fields[37] ?? "");
    if (!original) return respond(request, "25");
    const code = original.status === "reversed" ? "25" : original.responseCode;
    return respond(request, code, {
      ...(original.authCode ? { 38: original.authCode } : {}),
      48: `STATUS=${original.status}`,
    });
  }
}
