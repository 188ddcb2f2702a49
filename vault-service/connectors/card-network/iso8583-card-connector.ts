import type { IsoMessage } from "../../iso8583/message.js";
import type { AuthorizeRequest, CardConnector, InquiryResult, OperationResult } from "../card-connector.js";
import { CURRENCY_NUMERIC } from "./currency-numeric.js";
import { Iso8583Link, LinkError } from "./iso8583-link.js";
import {
  authorizationMessage,
  decodeReference,
  echoMessage,
  encodeReference,
  followUpMessage,
  type Reference,
  refundMessage,
  retrievalReference,
} from "./iso8583-messages.js";
import type { CardNetworkConfig } from "./network-config.js";
import { interpretResponseCode } from "./response-codes.js";

/**
 * The card-network connector: speaks ISO 8583:1987 to an acquirer host over one TCP link.
 * Retries only what never left (connection failures); a request that timed out after sending is
 * reversed (0400, reason 68), repeatedly, until the host acknowledges the reversal.
 */
export class Iso8583CardConnector implements CardConnector {
  readonly processor: string;
  private readonly link: Iso8583Link;
  private readonly pendingReversals = new Set<Promise<void>>();
  private closed = false;
  private wake: () => void = () => {};
  private readonly closing = new Promise<void>((resolve) => {
    this.wake = resolve;
  });

  constructor(private readonly config: CardNetworkConfig) {
    this.processor = config.processor;
    this.link = new Iso8583Link(config.host, config.port, config.connectAttempts);
  }

  async authorize(request: AuthorizeRequest): Promise<OperationResult> {
    const currency = CURRENCY_NUMERIC[request.currency];
    if (!currency) {
      return {
        status: "declined",
        processorReference: "",
        decline: { code: "currency_not_supported", retry: "hard" },
        responseCode: "",
      };
    }
    const now = new Date();
    const stan = this.link.nextStan();
    const rrn = retrievalReference(now, stan);
    const message = authorizationMessage(this.config, request, stan, rrn, now, currency);
    const reference: Reference = { rrn, mti: message.mti, stan, transmittedAt: message.fields[7] ?? "" };
    return this.send(message, reference, request.amount, currency);
  }

  async capture(request: { processorReference: string; amount: number; currency: string }): Promise<OperationResult> {
    return this.followUp("completion", request);
  }

  async void(request: { processorReference: string; amount: number; currency: string }): Promise<OperationResult> {
    return this.followUp("reversal", request);
  }

  async refund(request: { processorReference: string; amount: number; currency: string }): Promise<OperationResult> {
    const original = decodeReference(request.processorReference);
    const currency = CURRENCY_NUMERIC[request.currency];
    if (!original || !currency) return { status: "unavailable", reason: "unknown processor reference or currency" };
    const now = new Date();
    const stan = this.link.nextStan();
    const rrn = retrievalReference(now, stan);
    const message = refundMessage(this.config, original, stan, rrn, now, request.amount, currency);
    return this.send(
      message,
      { rrn, mti: "0200", stan, transmittedAt: message.fields[7] ?? "" },
      request.amount,
      currency,
    );
  }

  async inquire(request: { processorReference: string }): Promise<InquiryResult> {
    const original = decodeReference(request.processorReference);
    if (!original) return { status: "unavailable", reason: "unknown processor reference" };
    const message = followUpMessage("inquiry", this.config, original, this.link.nextStan(), new Date(), 0, "000");
    let response: IsoMessage;
    try {
      response = await this.link.exchange(message, this.config.responseTimeoutMs);
    } catch (error) {
      if (error instanceof LinkError) return { status: "unavailable", reason: error.message };
      throw error;
    }
    const code = response.fields[39];
    if (code === "25")
      return response.fields[48]?.includes("reversed") ? { status: "reversed" } : { status: "not_found" };
    if (response.fields[48] === "STATUS=reversed") return { status: "reversed" };
    const outcome = interpretResponseCode(code);
    return outcome.approved
      ? { status: "approved", authCode: response.fields[38] ?? null }
      : { status: "declined", decline: outcome.decline };
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

  /** Waits for reversals still in flight, then closes the link. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    await Promise.allSettled([...this.pendingReversals]);
    await this.link.close();
  }

  private async followUp(
    kind: "completion" | "reversal",
    request: { processorReference: string; amount: number; currency: string },
  ): Promise<OperationResult> {
    const original = decodeReference(request.processorReference);
    const currency = CURRENCY_NUMERIC[request.currency];
    if (!original || !currency) return { status: "unavailable", reason: "unknown processor reference or currency" };
    const message = followUpMessage(
      kind,
      this.config,
      original,
      this.link.nextStan(),
      new Date(),
      request.amount,
      currency,
    );
    return this.send(message, original, request.amount, currency);
  }

  private async send(
    message: IsoMessage,
    reference: Reference,
    amount: number,
    currency: string,
  ): Promise<OperationResult> {
    const processorReference = encodeReference(reference);
    let response: IsoMessage;
    try {
      response = await this.link.exchange(message, this.config.responseTimeoutMs);
    } catch (error) {
      if (!(error instanceof LinkError)) throw error;
      if (!error.sent) return { status: "unavailable", reason: error.message };
      // The host may have acted on it: undo it (a reversal of a reversal is not a thing).
      if (message.mti === "0400") return { status: "unknown", processorReference, reversal: "pending" };
      const reversal = await this.reverseUntilAcknowledged(reference, amount, currency);
      return { status: "unknown", processorReference, reversal };
    }
    const code = response.fields[39];
    const outcome = interpretResponseCode(code);
    if (outcome.approved) {
      return {
        status: "approved",
        processorReference,
        authCode: response.fields[38] ?? null,
        responseCode: code ?? "",
      };
    }
    return { status: "declined", processorReference, decline: outcome.decline, responseCode: code ?? "" };
  }

  /** Sleeps, but wakes early when the connector is closing. */
  private sleep(ms: number): Promise<void> {
    return Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms).unref()), this.closing]);
  }

  /**
   * Sends 0400 (reason 68, response received too late) for a request whose outcome is unknown.
   * The first attempts are awaited; if none is acknowledged, the rest continue in the background
   * at the last backoff interval until one is (the orchestrator also drives this from its alarm).
   */
  private async reverseUntilAcknowledged(
    original: Reference,
    amount: number,
    currency: string,
  ): Promise<"acknowledged" | "pending"> {
    const attempt = async () => {
      const message = followUpMessage(
        "reversal",
        this.config,
        original,
        this.link.nextStan(),
        new Date(),
        amount,
        currency,
        "68",
      );
      try {
        const response = await this.link.exchange(message, this.config.responseTimeoutMs);
        return response.fields[39] === "00";
      } catch (error) {
        if (error instanceof LinkError) return false;
        throw error;
      }
    };
    const inline = this.config.reversalBackoffMs.slice(0, 2);
    for (const delay of inline) {
      await this.sleep(delay);
      if (await attempt()) return "acknowledged";
    }
    const interval = this.config.reversalBackoffMs.at(-1) ?? 30_000;
    const background = (async () => {
      while (!this.closed) {
        await this.sleep(interval);
        if (this.closed) return;
        if (await attempt()) return;
      }
    })();
    this.pendingReversals.add(background);
    void background.finally(() => this.pendingReversals.delete(background));
    return "pending";
  }
}
