import type { CardProcessorId } from "../../../common/processor-registry.js";
import type {
  AuthorizeRequest,
  CardConnector,
  FollowUpRequest,
  InquiryResult,
  OperationKind,
  OperationResult,
  ReferenceContext,
} from "../card-connector.js";
import type { Iso8583CardConnector } from "./iso8583-card-connector.js";
import { CARD_NETWORKS, type CardNetwork } from "./network-config.js";

/**
 * A reference at an acquirer names the network link it went out on, after the ISO 8583 part
 * (`RRN-MTI-STAN-MMDDhhmmss-visa`): a follow-up must go out as the same terminal (field 41) with
 * the same institution id (field 32) as its original, and the acquirer books by terminal and RRN.
 * It still begins with the RRN, as chargeback matching expects.
 */
export function networkReference(iso: string, network: CardNetwork): string {
  return `${iso}-${network}`;
}

/** A reference's network and ISO 8583 part; null for one without a network (see `legacyReference`). */
export function splitReference(reference: string): { network: CardNetwork; iso: string } | null {
  const at = reference.lastIndexOf("-");
  const network = CARD_NETWORKS.find((candidate) => candidate === reference.slice(at + 1));
  return at > 0 && network ? { network, iso: reference.slice(0, at) } : null;
}

/**
 * A reference minted before processors were configuration: the payment recorded its card network
 * as its processor, and the reference names no network. It was acquirer A's link for that network.
 */
export function legacyReference(network: CardNetwork, reference: string): string {
  return splitReference(reference) ? reference : networkReference(reference, network);
}

/**
 * One ISO 8583 acquirer (acquirer A, acquirer B): one link per card network to its host, each as
 * our terminal for that network there. An authorization takes the link of its card's brand; every
 * later message the link its reference names. The links do the wire work (`Iso8583CardConnector`).
 */
export class AcquirerConnector implements CardConnector {
  readonly mintsRrn = true;
  readonly worstExchangeMs: number;

  constructor(
    readonly processor: CardProcessorId,
    private readonly links: Readonly<Record<CardNetwork, Iso8583CardConnector>>,
  ) {
    this.worstExchangeMs = Math.max(...Object.values(links).map((link) => link.worstExchangeMs));
  }

  /** One network's link (its trace counter, its terminal). */
  link(network: CardNetwork): Iso8583CardConnector {
    return this.links[network];
  }

  reference(kind: OperationKind, original: string | null, context: ReferenceContext): string | null {
    if (original === null) {
      const network = CARD_NETWORKS.find((candidate) => candidate === context.brand);
      const minted = network ? this.links[network].reference(kind, null) : null;
      return network && minted ? networkReference(minted, network) : null;
    }
    const target = splitReference(original);
    const minted = target ? this.links[target.network].reference(kind, target.iso) : null;
    return target && minted ? networkReference(minted, target.network) : null;
  }

  moveTrace(taken: string): void {
    const link = splitReference(taken);
    if (link) this.links[link.network].moveTrace();
  }

  authorize(request: AuthorizeRequest, reference: string): Promise<OperationResult> {
    const own = this.split(reference);
    return this.links[own.network].authorize(request, own.iso);
  }

  capture(request: FollowUpRequest, reference: string, repeat: boolean): Promise<OperationResult> {
    const own = this.split(reference);
    return this.links[own.network].capture(this.onLink(request), own.iso, repeat);
  }

  void(request: FollowUpRequest, reference: string, repeat: boolean): Promise<OperationResult> {
    const own = this.split(reference);
    return this.links[own.network].void(this.onLink(request), own.iso, repeat);
  }

  refund(request: FollowUpRequest, reference: string): Promise<OperationResult> {
    const own = this.split(reference);
    return this.links[own.network].refund(this.onLink(request), own.iso);
  }

  reverseUnanswered(request: FollowUpRequest, repeat: boolean): Promise<OperationResult> {
    const original = this.split(request.original);
    return this.links[original.network].reverseUnanswered(this.onLink(request), repeat);
  }

  inquire(reference: string): Promise<InquiryResult> {
    const target = this.split(reference);
    return this.links[target.network].inquire(target.iso);
  }

  async echo(): Promise<boolean> {
    const answers = await Promise.all(Object.values(this.links).map((link) => link.echo()));
    return answers.every(Boolean);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.links).map((link) => link.close()));
  }

  private split(reference: string): { network: CardNetwork; iso: string } {
    const split = splitReference(reference);
    if (!split) throw new Error(`not a reference of ${this.processor}: ${reference}`);
    return split;
  }

  /** The request as its link reads it: the original's ISO 8583 part alone. */
  private onLink(request: FollowUpRequest): FollowUpRequest {
    return { ...request, original: this.split(request.original).iso };
  }
}
