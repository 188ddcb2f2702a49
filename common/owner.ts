/**
 * Whose an object is: a merchant, in one mode. Every merchant-facing read and write is scoped by
 * both (DESIGN invariant 6: another merchant's or another mode's object is a 404, never a 403).
 */
export interface Owner {
  merchantId: string;
  livemode: boolean;
}
