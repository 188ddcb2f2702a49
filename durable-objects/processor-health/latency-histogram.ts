/**
 * Latencies as counts in log-spaced bins, four per doubling (each bin about 19 % wide): constant
 * memory whatever the traffic, and histograms of different periods add up exactly, so the
 * window's median weighs a busy bucket as much as its traffic, not as much as a quiet one.
 */
const BINS_PER_DOUBLING = 4;
const BIN_COUNT = 4 * 21; // up to 2^21 ms (35 minutes); anything longer lands in the last bin

const binOf = (latencyMs: number) =>
  Math.min(BIN_COUNT - 1, Math.floor(Math.log2(Math.max(0, latencyMs) + 1) * BINS_PER_DOUBLING));

/** The bin's geometric middle: within about 9 % of anything that fell in it. */
const middleOf = (bin: number) => Math.round(2 ** ((bin + 0.5) / BINS_PER_DOUBLING) - 1);

export class LatencyHistogram {
  readonly counts = new Uint32Array(BIN_COUNT);

  add(latencyMs: number): void {
    this.counts[binOf(latencyMs)]! += 1;
  }

  /** The median of every histogram given, or undefined when they are all empty. */
  static median(histograms: readonly LatencyHistogram[]): number | undefined {
    const merged = new Uint32Array(BIN_COUNT);
    let total = 0;
    for (const histogram of histograms) {
      histogram.counts.forEach((count, bin) => {
        merged[bin]! += count;
      });
      total += histogram.counts.reduce((sum, count) => sum + count, 0);
    }
    if (total === 0) return undefined;
    let seen = 0;
    for (let bin = 0; bin < BIN_COUNT; bin++) {
      seen += merged[bin]!;
      if (seen * 2 >= total) return middleOf(bin);
    }
    return undefined;
  }
}
