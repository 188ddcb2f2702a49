import type { FileLine } from "../reconciliation-matcher.js";
import { ReportFileInvalid } from "../report-file-invalid.js";

/** No line of any layout here comes near this; a longer one is not the processor's file. */
const MAX_LINE = 4_000;

/**
 * How a run reads a processor's file as it streams in: `push` each chunk of text and take the
 * detail lines it completes, `end` when the body is done (it checks what the layout has to tell
 * a whole file: a trailer, footers' counts) and returns how many detail lines were read.
 */
export interface ReportReader {
  push(chunk: string): FileLine[];
  end(): number;
}

/**
 * A reader of a line-based layout: splits the chunks into lines (LF or CRLF, a line split across
 * chunks joined), hands each to `read`, and at the end to `finish`.
 */
export abstract class LineReader implements ReportReader {
  private rest = "";
  /** Lines seen, blank ones included: 1 for the first. */
  protected physical = 0;

  push(chunk: string): FileLine[] {
    const text = this.physical === 0 && this.rest === "" && chunk.startsWith("\uFEFF") ? chunk.slice(1) : chunk;
    const parts = (this.rest + text).split("\n");
    this.rest = parts.pop() ?? "";
    if (this.rest.length > MAX_LINE) throw new ReportFileInvalid("a line is longer than the layout allows");
    const lines: FileLine[] = [];
    for (const part of parts) {
      this.physical += 1;
      if (part.length > MAX_LINE) throw new ReportFileInvalid("a line is longer than the layout allows");
      const line = this.read(part.endsWith("\r") ? part.slice(0, -1) : part);
      if (line) lines.push(line);
    }
    return lines;
  }

  /** A last line without its line break is read too: the layout's trailer or the drop's digest tells a cut. */
  end(): number {
    if (this.rest.trim() !== "") this.push("\n");
    return this.finish();
  }

  /** The detail line `text` is, or null for a header, a footer or a row the gateway does not book. */
  protected abstract read(text: string): FileLine | null;
  protected abstract finish(): number;
}

/** One record of a CSV layout, its fields by column name. */
export interface CsvRecord<Needed extends string> {
  /** A column the header must have: its value ("" when the record is short). */
  field(name: Needed): string;
  /** A column later versions of the layout add: null when this file's header has none. */
  optional(name: string): string | null;
  /** Where the record is, for errors: `line N`. */
  where: string;
}

/**
 * A reader of a CSV layout whose header names its columns (read by name: a processor may add or
 * move columns): the header must come first and name every needed column; each record after it
 * goes to `record`, which counts the detail lines it returns in `lineNo`.
 */
export abstract class CsvReportReader<Needed extends string> extends LineReader {
  private positions: Map<string, number> | null = null;
  /** Detail lines read: 1 for the first. */
  protected lineNo = 0;

  constructor(
    private readonly needed: readonly [Needed, ...Needed[]],
    protected readonly day: string,
  ) {
    super();
  }

  protected finish(): number {
    if (!this.positions) throw new ReportFileInvalid("the file has no header");
    return this.lineNo;
  }

  protected read(text: string): FileLine | null {
    if (text === "") return null;
    const where = `line ${this.physical}`;
    const fields = csvFields(text, where);
    if (!this.positions) {
      if (fields[0] !== this.needed[0]) throw new ReportFileInvalid("the file does not start with its header");
      columnsOf(fields, this.needed);
      this.positions = new Map(fields.map((name, index) => [name, index]));
      return null;
    }
    const positions = this.positions;
    const at = (name: string) => {
      const index = positions.get(name);
      return index === undefined ? null : (fields[index] ?? "");
    };
    return this.record({ field: (name) => at(name) ?? "", optional: at, where });
  }

  /** The detail line a record is, or null for a row the gateway does not book. */
  protected abstract record(row: CsvRecord<Needed>): FileLine | null;
}

/**
 * One CSV record's fields (RFC 4180 §2: quoted fields with doubled quotes inside). A record of
 * these layouts is one line: a field broken across lines is refused, as no layout writes one.
 */
export function csvFields(text: string, where: string): string[] {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    if (text[at] === '"') {
      let value = "";
      let i = at + 1;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) throw new ReportFileInvalid(`${where} has an unterminated quoted field`);
        value += text.slice(i, close);
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
          continue;
        }
        at = close + 1;
        break;
      }
      fields.push(value);
    } else {
      const comma = text.indexOf(",", at);
      const value = text.slice(at, comma < 0 ? text.length : comma);
      if (value.includes('"')) throw new ReportFileInvalid(`${where} has a quote inside an unquoted field`);
      fields.push(value);
      at = comma < 0 ? text.length : comma;
    }
    if (at >= text.length) return fields;
    if (text[at] !== ",") throw new ReportFileInvalid(`${where} has text after a quoted field`);
    at += 1;
    if (at === text.length) {
      fields.push("");
      return fields;
    }
  }
}

/** A CSV header's column positions by name, the ones a reader needs checked present. */
export function columnsOf<N extends string>(header: string[], needed: readonly N[]): Record<N, number> {
  const positions = {} as Record<N, number>;
  for (const name of needed) {
    const index = header.indexOf(name);
    if (index < 0) throw new ReportFileInvalid(`the header has no ${name} column`);
    positions[name] = index;
  }
  return positions;
}

/**
 * A decimal amount in major units (`12.34`, `-3.45`, `500`) as minor units of a currency with
 * `exponent` decimals; null when it is not one (more decimals than the currency has, not a number).
 */
export function minorOf(text: string, exponent: number): number | null {
  const match = /^(-?)(\d{1,15})(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const fraction = match[3] ?? "";
  if (fraction.length > exponent) return null;
  const minor = Number(match[2]) * 10 ** exponent + Number(fraction.padEnd(exponent, "0") || "0");
  return match[1] === "-" ? -minor : minor;
}
