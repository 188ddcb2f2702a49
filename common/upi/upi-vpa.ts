/**
 * A Virtual Payment Address (`name@handle`): the local part as PSPs issue it, the handle naming the
 * PSP (`@upi`, `@okaxis`). The shape only: whether it exists is the switch's answer (ReqValAdd).
 */
export const VPA_PATTERN = /^[A-Za-z0-9._-]{2,256}@[A-Za-z]{2,64}$/;

export function isVpa(value: string): boolean {
  return typeof value === "string" && VPA_PATTERN.test(value);
}
