import type { IsoMessage } from "../../iso8583/message.js";
import type {
  AuthorizeRequest,
  FollowUpRequest,
  InquiryResult,
  OperationKind,
  OperationResult,
} from "../card-connector.js";
import { CURRENCY_NUMERIC } from "./currency-numeric.js";
import { inquiryResult } from "./inquiry-result.js";
import { Iso8583Link, LinkError } from "./iso8583-link.js";
import {
  authorizationMessage,
  decodeReference,
  echoMessage,
  encodeReference,
  followUpMessage,
  type Reference,
  refundMessage,
  repeatMti,
  retrievalReference,
  transmissionTime,
} from "./iso8583-messages.js";
import { type CardNetworkConfig, worstExchangeMs } from "./network-config.js";
import { interpretResponseCode } from "./response-codes.js";

/** The request MTI of each journaled kind (ISO 8583:1987 message classes). */
const KIND_MTI: Readonly<Record<OperationKind, string>> = {
  authorization: "0100",
  sale: "0200",
  completion: "0220",
  reversal: "0400",
  refund: "0200",
};

const UNSUPPORTED_CURRENCY: OperationResult = {
  status: "declined",
  decline: { code: "currency_not_supported", retry: "hard" },
  responseCode: "",
};

/**
 * One card network's link at an acquirer: speaks ISO 8583:1987 to the acquirer host over one TCP
 * link, as our terminal for that network (`AcquirerConnector` holds one per network).
 * Retries only what never left (connection failures). A request sent and left unanswered is
 * `unknown` at once: the vault's journal decides what is owed (a capture's timeout is never
 * answered by reversing the authorization) and its resolver calls back in here to do it.
 */
export class Iso8583CardConnector {
  readonly network: CardNetworkConfig["network"];
  readonly worstExchangeMs: number;
  private readonly link: Iso8583Link;

  constructor(private readonly config: CardNetworkConfig) {
    this.network = config.network;
    this.worstExchangeMs = worstExchangeMs(config);
    this.link = new Iso8583Link(config.host, config.port, config.connect, config.tls ?? null);
  }

  /** Our terminal on this link (field 41). */
  get terminalId(): string {
    return this.config.terminalId;
  }

  /** A fresh STAN and transmission time; a follow-up keeps its original's RRN (field 37). */
  reference(kind: OperationKind, original: string | null): string | null {
    const now = new Date();
    const stan = this.link.nextStan();
    const mti = KIND_MTI[kind];
    const transmittedAt = transmissionTime(now);
    if (kind === "authorization" || kind === "sale" || kind === "refund") {
      if (kind === "refund" && !decodeReference(original ?? "")) return null;
      return encodeReference({ rrn: retrievalReference(now, stan), mti, stan, transmittedAt });
    }
    const target = decodeReference(original ?? "");
    return target ? encodeReference({ rrn: target.rrn, mti, stan, transmittedAt }) : null;
  }

  /** The next reference is minted from a fresh STAN, away from the one whose RRN was taken. */
  moveTrace(to?: number): void {
    this.link.moveTrace(to);
  }

  async authorize(request: AuthorizeRequest, reference: string): Promise<OperationResult> {
    const own = decodeReference(reference);
    const currency = CURRENCY_NUMERIC[request.currency];
    if (!own) throw new Error("authorize needs a reference from reference()");
    if (!currency) return UNSUPPORTED_CURRENCY;
    return this.send(authorizationMessage(this.config, request, own, currency));
  }

  async capture(request: FollowUpRequest, reference: string, repeat: boolean): Promise<OperationResult> {
    return this.followUp(request, reference, repeat);
  }

  async void(request: FollowUpRequest, reference: string, repeat: boolean): Promise<OperationResult> {
    return this.followUp(request, reference, repeat, "17");
  }

  async refund(request: FollowUpRequest, reference: string): Promise<OperationResult> {
    const [own, original] = [decodeReference(reference), decodeReference(request.original)];
    const currency = CURRENCY_NUMERIC[request.currency];
    if (!own || !original) throw new Error("refund needs its own and its original's reference");
    if (!currency) return UNSUPPORTED_CURRENCY;
    return this.send(refundMessage(this.config, own, original, request.amount, currency));
  }

  /** 0400 reason 68 (response received too late), then 0401 repeats, each with a fresh STAN. */
  async reverseUnanswered(request: FollowUpRequest, repeat: boolean): Promise<OperationResult> {
    const original = decodeReference(request.original);
    const currency = CURRENCY_NUMERIC[request.currency];
    if (!original || !currency) throw new Error("a reversal needs its original's reference and currency");
    const own = this.fresh("0400", original.rrn);
    const message = followUpMessage("0400", this.config, own, original, request.amount, currency, "68");
    return this.send(repeat ? { ...message, mti: repeatMti(message.mti) } : message);
  }

  /** 0600 status inquiry about a message by its reference (its RRN and original data). */
  async inquire(reference: string): Promise<InquiryResult> {
    const target = decodeReference(reference);
    if (!target) throw new Error(`not a reference of this connector: ${reference}`);
    const message = followUpMessage("0600", this.config, this.fresh("0600", target.rrn), target, 0, "000");
    try {
      return inquiryResult(await this.link.exchange(message, this.config.responseTimeoutMs));
    } catch (error) {
      if (error instanceof LinkError) return { status: "unavailable", reason: error.message };
      throw error;
    }
  }

  async echo(): Promise<boolean> {
    try {
      const response = await this.link.exchange(
        echoMessage(this.link.nextStan(), new Date()),
        this.config.responseTimeoutMs,
      );
      return response.fields[39] === "00";
    } catch (error) {
      if (error instanceof LinkError) return false;
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.link.close();
  }

  /**
   * A completion or a void, first sent or repeated. A repeat is the same message with the MTI's
   * last digit 1 (ISO 8583:1987): same STAN, same transmission time, same original data.
   */
  private async followUp(
    request: FollowUpRequest,
    reference: string,
    repeat: boolean,
    reversalReason?: "17",
  ): Promise<OperationResult> {
    const [own, original] = [decodeReference(reference), decodeReference(request.original)];
    const currency = CURRENCY_NUMERIC[request.currency];
    if (!own || !original) throw new Error("a follow-up needs its own and its original's reference");
    if (!currency) return UNSUPPORTED_CURRENCY;
    const message = followUpMessage(own.mti, this.config, own, original, request.amount, currency, reversalReason);
    return this.send(repeat ? { ...message, mti: repeatMti(message.mti) } : message);
  }

  private fresh(mti: string, rrn: string): Reference {
    return { rrn, mti, stan: this.link.nextStan(), transmittedAt: transmissionTime(new Date()) };
  }

  private async send(message: IsoMessage): Promise<OperationResult> {
    let response: IsoMessage;
    try {
      response = await this.link.exchange(message, this.config.responseTimeoutMs);
    } catch (error) {
      if (!(error instanceof LinkError)) throw error;
      return error.sent
        ? { status: "unknown", reason: error.message }
        : { status: "unavailable", reason: error.message };
    }
    const code = response.fields[39] ?? "";
    const outcome = interpretResponseCode(code);
    return outcome.approved
      ? { status: "approved", authCode: response.fields[38] ?? null, responseCode: code }
      : { status: "declined", decline: outcome.decline, responseCode: code };
  }
}
