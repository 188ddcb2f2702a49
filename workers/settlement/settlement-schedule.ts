/**
 * When a merchant's business day closes (issue 16 item 2: "at the merchant's cut-off"): day D runs
 * from `cutoff_hour` o'clock UTC on D to the same hour on D + 1 (0, the default: the UTC calendar
 * day). The hourly Cron Trigger cuts, for each merchant whose cut-off is this hour, the day that
 * has just closed; a cut made by hand during the day takes what has been made until then, and the
 * rest goes into the next day's batch (a batch takes every movement still pending before its end).
 */
export interface CutOff {
  /** 0-23, UTC. */
  cutoffHour: number;
}

const HOUR = 3_600_000;

function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** The end of business day `day`: the next day at the cut-off hour. */
export function dayEnd(day: string, { cutoffHour }: CutOff): Date {
  return new Date(dayStart(day) + 24 * HOUR + cutoffHour * HOUR);
}

/** The business day `at` falls in. */
export function businessDay(at: Date, { cutoffHour }: CutOff): string {
  return new Date(at.getTime() - cutoffHour * HOUR).toISOString().slice(0, 10);
}

/** The business day that closed at this hour's cut-off, for a merchant whose cut-off it is; null otherwise. */
export function dayClosedAt(now: Date, cutOff: CutOff): string | null {
  if (now.getUTCHours() !== cutOff.cutoffHour) return null;
  return businessDay(new Date(now.getTime() - HOUR), cutOff);
}

/** A cut's boundary: the day's end, or now for the day still open (movements until now). */
export function cutBoundary(day: string, now: Date, cutOff: CutOff): Date {
  const end = dayEnd(day, cutOff);
  return end.getTime() > now.getTime() ? now : end;
}

/** A merchant's cut-off hour from its settlement config (absent or out of range: midnight UTC). */
export function cutOffOf(config: { cutoff_hour?: number } | null | undefined): CutOff {
  const hour = config?.cutoff_hour;
  return {
    cutoffHour: Number.isInteger(hour) && (hour as number) >= 0 && (hour as number) <= 23 ? (hour as number) : 0,
  };
}
