/**
 * The simulated payers: deterministic test VPAs, each one outcome, as Hyperswitch's dummy
 * connector and the sandboxes of Indian PSPs offer them (`failure@upi`: juspay/hyperswitch PR #8014).
 * Codes from common/upi/upi-codes.ts.
 */
export type PayerBehaviour =
  /** Debits, then the credit leg runs (subject to the credit_leg fault). */
  | { kind: "approve" }
  /** The debit is refused with this code (the payer's bank or the payer said no). */
  | { kind: "decline"; code: "U30" | "ZA" | "ZM" | "Z9" | "U16" }
  /** Succeeds at once; the callback comes only after UPI_SLOW_CALLBACK_MS, past the first status check. */
  | { kind: "slow" }
  /** Succeeds; the callback is never sent: only a status check finds the outcome. */
  | { kind: "lost" }
  /** Never acts: the collect lapses (U69) after UPI_TEST_EXPIRY_MS. */
  | { kind: "expire" }
  /** Waits for someone to approve or decline on the payer page (/payer/collect). */
  | { kind: "manual" };

export const TEST_PAYERS: Readonly<Record<string, { name: string; behaviour: PayerBehaviour }>> = {
  "success@upi": { name: "Success Payer", behaviour: { kind: "approve" } },
  "failure@upi": { name: "Failure Payer", behaviour: { kind: "decline", code: "U30" } },
  "declined@upi": { name: "Declining Payer", behaviour: { kind: "decline", code: "ZA" } },
  "pin@upi": { name: "Wrong Pin Payer", behaviour: { kind: "decline", code: "ZM" } },
  "funds@upi": { name: "Broke Payer", behaviour: { kind: "decline", code: "Z9" } },
  "risk@upi": { name: "Risky Payer", behaviour: { kind: "decline", code: "U16" } },
  "slow@upi": { name: "Slow Payer", behaviour: { kind: "slow" } },
  "lost@upi": { name: "Lost Payer", behaviour: { kind: "lost" } },
  "expire@upi": { name: "Absent Payer", behaviour: { kind: "expire" } },
  "manual@upi": { name: "Manual Payer", behaviour: { kind: "manual" } },
};

/** A test payer's behaviour, or null: any other VPA is unknown to this switch (ZH). */
export function payerBehaviour(vpa: string): PayerBehaviour | null {
  return Object.hasOwn(TEST_PAYERS, vpa) ? (TEST_PAYERS[vpa]?.behaviour ?? null) : null;
}

/** The name ReqValAdd reveals, masked as PSP apps show it ("S***** P****"). */
export function maskedName(vpa: string): string | null {
  const payer = Object.hasOwn(TEST_PAYERS, vpa) ? TEST_PAYERS[vpa] : undefined;
  return payer ? payer.name.replace(/\B[a-z]/g, "*") : null;
}
