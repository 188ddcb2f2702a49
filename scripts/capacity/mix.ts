import type { Kind } from "./flows.js";

/** The kinds that are payments; a refund is counted per payment, on top. */
export const PAYMENT_KINDS = ["card_auto", "card_manual", "upi_collect", "wallet"] as const satisfies readonly Kind[];
export type PaymentKind = (typeof PAYMENT_KINDS)[number];

/** What the load is made of: each payment kind's share (summing to 1), and refunds per payment. */
export interface Mix {
  shares: Record<PaymentKind, number>;
  refundsPerPayment: number;
}

/**
 * A card-led PSP's day: most card payments captured at once, a quarter authorized first and
 * captured later (hotels, marketplaces), UPI and the wallet a tenth each, one payment in twenty
 * refunded. An assumption like the others: change it with `--mix` and `--refunds`.
 */
export const DEFAULT_MIX: Mix = {
  shares: { card_auto: 0.55, card_manual: 0.25, upi_collect: 0.1, wallet: 0.1 },
  refundsPerPayment: 0.05,
};

const TOLERANCE = 1e-9;

/** Throws unless the shares are non-negative numbers summing to 1 and refunds are >= 0. */
export function checkMix(mix: Mix): Mix {
  const shares = PAYMENT_KINDS.map((kind) => mix.shares[kind]);
  if (shares.some((share) => !Number.isFinite(share) || share < 0))
    throw new Error("every share must be a number >= 0");
  const total = shares.reduce((sum, share) => sum + share, 0);
  if (Math.abs(total - 1) > TOLERANCE) throw new Error(`the payment kinds' shares sum to ${total}, not 1`);
  if (!Number.isFinite(mix.refundsPerPayment) || mix.refundsPerPayment < 0)
    throw new Error("refunds per payment must be >= 0");
  return mix;
}

/** `card_auto=0.6,card_manual=0.2,upi_collect=0.1,wallet=0.1` (kinds left out get 0). */
export function parseMix(text: string, refundsPerPayment = DEFAULT_MIX.refundsPerPayment): Mix {
  const shares = Object.fromEntries(PAYMENT_KINDS.map((kind) => [kind, 0])) as Record<PaymentKind, number>;
  for (const part of text.split(",").filter(Boolean)) {
    const [name, value] = part.split("=");
    if (!name || !(PAYMENT_KINDS as readonly string[]).includes(name.trim())) {
      throw new Error(`unknown payment kind '${name ?? part}' (known: ${PAYMENT_KINDS.join(", ")})`);
    }
    shares[name.trim() as PaymentKind] = Number(value);
  }
  return checkMix({ shares, refundsPerPayment });
}

/** Flows per second of each kind at `paymentsPerSecond`. */
export function flowRates(paymentsPerSecond: number, mix: Mix): Record<Kind, number> {
  return {
    card_auto: paymentsPerSecond * mix.shares.card_auto,
    card_manual: paymentsPerSecond * mix.shares.card_manual,
    upi_collect: paymentsPerSecond * mix.shares.upi_collect,
    wallet: paymentsPerSecond * mix.shares.wallet,
    refund: paymentsPerSecond * mix.refundsPerPayment,
  };
}

export function describeMix(mix: Mix): string {
  const shares = PAYMENT_KINDS.map((kind) => `${kind} ${Math.round(mix.shares[kind] * 1000) / 10}%`).join(", ");
  return `${shares}; refunds ${mix.refundsPerPayment} per payment`;
}
