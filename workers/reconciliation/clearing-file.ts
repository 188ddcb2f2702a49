import { CURRENCY_ALPHA } from "./currency-numeric.js";
import type { FileLine } from "./reconciliation-matcher.js";

/** A file the run cannot read as a clearing file: for another day, cut short, or not one at all. */
export class ClearingFileInvalid extends Error {}

/** No line of the layout comes near this; a longer one is not a clearing file. */
const MAX_LINE = 1_000;

const amount = (text: string | undefined, what: string): number => {
  if (!text || !/^\d{1,12}$/.test(text)) throw new ClearingFileInvalid(`${what} is not an amount in minor units`);
  return Number(text);
};

/**
 * Reads an acquirer's clearing file (simulators/acquirer/clearing-file.ts describes the layout)
 * as it streams in: `push` each chunk of text and take the detail lines it completes, `end` when
 * the body is done. The header must name the day asked for, and the trailer's count and net per
 * currency must equal the lines read, so a file cut short in transfer is refused rather than
 * reconciled as if transactions were missing. Currencies come as ISO 4217 numeric (field 49)
 * and leave as alphabetic; one the table lacks stays numeric, which matches nothing.
 */
export class ClearingFileReader {
  private rest = "";
  private lineNo = 0;
  private state: "header" | "details" | "totals" = "header";
  private trailerCount = -1;
  private readonly nets = new Map<string, number>();
  private readonly totals = new Map<string, number>();

  constructor(private readonly day: string) {}

  /** The detail lines that `chunk` completes. */
  push(chunk: string): FileLine[] {
    const text = this.rest + chunk;
    const parts = text.split("\n");
    this.rest = parts.pop() ?? "";
    if (this.rest.length > MAX_LINE) throw new ClearingFileInvalid("a line is longer than the layout allows");
    const lines: FileLine[] = [];
    for (const part of parts) {
      const line = this.read(part.replace(/\r$/, ""));
      if (line) lines.push(line);
    }
    return lines;
  }

  /** Checks the trailer against what was read; returns the number of detail lines. */
  end(): number {
    if (this.rest.trim() !== "") this.push("\n");
    if (this.state === "header") throw new ClearingFileInvalid("the file has no header");
    if (this.trailerCount < 0) throw new ClearingFileInvalid("the file has no trailer: it was cut short");
    if (this.trailerCount !== this.lineNo) {
      throw new ClearingFileInvalid(`the trailer counts ${this.trailerCount} lines, the file has ${this.lineNo}`);
    }
    for (const [currency, net] of this.nets) {
      if (this.totals.get(currency) !== net)
        throw new ClearingFileInvalid(`the trailer's total for ${currency} differs`);
    }
    if (this.totals.size !== this.nets.size)
      throw new ClearingFileInvalid("the trailer totals a currency with no line");
    return this.lineNo;
  }

  private read(text: string): FileLine | null {
    if (text.length > MAX_LINE) throw new ClearingFileInvalid("a line is longer than the layout allows");
    if (text === "") return null;
    const columns = text.split("|");
    const [type] = columns;
    if (this.state === "header") {
      if (type !== "HEADER") throw new ClearingFileInvalid("the file does not start with its header");
      if (columns[1] !== this.day) throw new ClearingFileInvalid(`the file is for ${columns[1]}, not ${this.day}`);
      this.state = "details";
      return null;
    }
    if (type === "TRAILER" && this.state === "details") {
      this.trailerCount = amount(columns[2], "the trailer's count");
      this.state = "totals";
      return null;
    }
    if (type === "TOTAL" && this.state === "totals") {
      const net = columns[2] ?? "";
      if (!/^-?\d{1,15}$/.test(net)) throw new ClearingFileInvalid("a trailer total is not an amount");
      this.totals.set(columns[1] ?? "", Number(net));
      return null;
    }
    if ((type === "DR" || type === "CR") && this.state === "details") return this.detail(columns);
    throw new ClearingFileInvalid(`line ${this.lineNo + 2} is not part of the layout`);
  }

  private detail(columns: string[]): FileLine {
    const [type, rrn, , , currency = "", amountText, authCode, originalRrn, feeText, bookedAt] = columns;
    if (columns.length < 8 || !rrn || !/^[0-9A-Za-z]{12}$/.test(rrn)) {
      throw new ClearingFileInvalid(`line ${this.lineNo + 2} is not a detail line`);
    }
    this.lineNo += 1;
    const value = amount(amountText, `line ${this.lineNo + 1}'s amount`);
    this.nets.set(currency, (this.nets.get(currency) ?? 0) + (type === "CR" ? -value : value));
    return {
      lineNo: this.lineNo,
      kind: type === "CR" ? "refund" : "charge",
      rrn,
      originalRrn: originalRrn || null,
      amount: value,
      currency: CURRENCY_ALPHA[currency] ?? currency,
      fee: feeText ? amount(feeText, `line ${this.lineNo + 1}'s fee`) : null,
      authCode: authCode || null,
      bookedAt: bookedAt || null,
    };
  }
}
