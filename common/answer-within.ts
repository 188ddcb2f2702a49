/**
 * `promise`, or a rejection once `ms` have passed without its answer: for calls whose answer is
 * advice (a limiter, a health object) and whose silence must not hold a request up. The work
 * itself is not cancelled; its late answer is ignored.
 */
export function answerWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} gave no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
