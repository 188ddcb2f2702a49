import { lookupBin } from "../../vault-service/cards/bin-table.js";
import type { IsoMessage } from "../../vault-service/iso8583/message.js";
import { type BinCoverage, covers, NO_ROUTE_CODE } from "./bin-coverage.js";
import { inquire } from "./inquiries.js";
import { respond } from "./iso-response.js";
import type { EntryKind, Ledger, NewEntry } from "./ledger.js";
import { reverse } from "./reversals.js";
import { issuerDecision } from "./test-cards.js";

let authSequence = 0;
function authCode(): string {
  authSequence = (authSequence + 1) % 1_000_000;
  return String(authSequence).padStart(6, "0");
}

/** What this acquirer does before the issuer is asked: where it has a route, and forced declines. */
export interface AcquirerPolicy {
  /** BIN prefixes it reaches the issuer for; `null` for every card. */
  coverage: BinCoverage;
  /** A decline code forced on this authorization (the `decline_share` fault), or null. */
  forcedDecline(mti: string): string | null;
}

const EVERY_CARD: AcquirerPolicy = { coverage: null, forcedDecline: () => null };

/**
 * The simulated acquirer + issuer: decides each request and books it. Pure apart from the
 * ledger and the policy, so the TCP server only frames, applies faults, and writes.
 */
export class IssuerHost {
  constructor(
    private readonly ledger: Ledger,
    private readonly network: string,
    private readonly policy: AcquirerPolicy = EVERY_CARD,
  ) {}

  handle(request: IsoMessage, now = new Date()): IsoMessage {
    switch (request.mti) {
      case "0100":
        return this.authorize(request, "authorization", now);
      case "0200":
        return request.fields[3]?.startsWith("20") ? this.refund(request) : this.authorize(request, "sale", now);
      case "0220":
      case "0221": // repeat advice: the same completion, booked once
        return this.complete(request);
      case "0400":
      case "0401": // repeat reversal
        return reverse(this.ledger, this.network, request);
      case "0600":
        return inquire(this.ledger, request);
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
    // A card it has no route for never reaches an issuer, so it takes no share of forced declines.
    const code = covers(this.policy.coverage, pan)
      ? (this.policy.forcedDecline(request.mti) ?? issuerDecision(pan, request.fields[14], amount, now))
      : NO_ROUTE_CODE;
    const approved = code === "00";
    const bin = lookupBin(pan);
    const entry: NewEntry = {
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
      authorizedAmount: approved ? amount : 0,
      capturedAmount: approved && kind === "sale" ? amount : 0,
      reversedAmount: 0,
      refundedAmount: 0,
      originalRrn: null,
      reversals: 0,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      brand: bin?.brand ?? null,
      issuerCountry: bin?.country ?? null,
      capturedAt: approved && kind === "sale" ? now.toISOString() : null,
    };
    this.ledger.save(entry);
    return respond(request, code, entry.authCode ? { 38: entry.authCode } : {});
  }

  /** 0220 completion (and its 0221 repeat): captures up to the authorized amount, once. */
  private complete(request: IsoMessage): IsoMessage {
    const original = this.ledger.get(request.fields[41] ?? "", request.fields[37] ?? "");
    if (original?.kind !== "authorization") return respond(request, "25");
    const amount = Number(request.fields[4] ?? "0");
    if (original.status === "captured" && original.capturedAmount === amount) return respond(request, "00");
    if (original.status !== "approved") return respond(request, "12");
    if (amount <= 0 || amount > original.amount) return respond(request, "13");
    this.ledger.save({ ...original, status: "captured", capturedAmount: amount, capturedAt: new Date().toISOString() });
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
      authorizedAmount: 0,
      capturedAmount: code === "00" ? amount : 0,
      reversedAmount: 0,
      refundedAmount: 0,
      originalRrn: originalRrn ?? null,
      reversals: 0,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      brand: original?.brand ?? null,
      issuerCountry: original?.issuerCountry ?? null,
      capturedAt: code === "00" ? new Date().toISOString() : null,
    });
    return respond(request, code);
  }
}
