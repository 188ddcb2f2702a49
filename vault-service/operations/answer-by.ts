/**
 * `work`'s answer if it comes before `at` (epoch ms), else `fallback()`'s, taken at that moment
 * so it can say how far the work got. The work goes on either way: what it must no longer do
 * once the edge has its answer (go on the wire) it checks for itself.
 */
export function answerBy<T>(work: Promise<T>, at: number, fallback: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), Math.max(0, at - Date.now()));
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
