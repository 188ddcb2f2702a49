import { appendFileSync, closeSync, existsSync, openSync, readSync } from "node:fs";

export type EntryKind = "authorization" | "sale" | "refund";
export type EntryStatus = "approved" | "declined" | "captured" | "reversed";

/**
 * One transaction as the acquirer booked it. The PAN is kept as last four only. The amounts are
 * what a reconciler compares with the gateway: approved (`authorizedAmount`), reversed and
 * refunded as booked, and `capturedAmount` as it stands (a reversal voids a sale's capture before
 * clearing, so it goes back to 0); `status` is where the transaction stands.
 */
export interface LedgerEntry {
  /** Whose books: the simulator's name (`ACQUIRER_NAME`, e.g. acquirer_a), so two acquirers' entries read apart. */
  acquirer: string;
  /** Field 41: RRNs are unique per terminal, not across terminals. */
  terminal: string;
  rrn: string;
  stan: string;
  kind: EntryKind;
  network: string;
  last4: string;
  amount: number;
  currency: string;
  responseCode: string;
  authCode: string | null;
  status: EntryStatus;
  authorizedAmount: number;
  capturedAmount: number;
  reversedAmount: number;
  refundedAmount: number;
  originalRrn: string | null;
  reversals: number;
  createdAt: string;
  updatedAt: string;
  /** The card's network and issuing country, from the BIN at authorization: what the line's fee depends on. */
  brand?: string | null;
  issuerCountry?: string | null;
  /**
   * When the money was booked to clear: a sale's approval, an authorization's completion, a
   * refund's booking. The clearing file lists an entry on this day (UTC), however often it
   * changes later (a refund against it, a chargeback).
   */
  capturedAt?: string | null;
}

/** An entry as the host books it: the ledger stamps whose books it is in. */
export type NewEntry = Omit<LedgerEntry, "acquirer">;

/**
 * The acquirer's books: every authorization, capture, reversal and refund it processed. Each
 * change is appended to a journal file (NDJSON) and replayed at start, so the books survive a
 * restart like a real host's would.
 */
export class Ledger {
  private readonly entries = new Map<string, LedgerEntry>();

  constructor(
    private readonly journalPath: string | null,
    readonly acquirer = "acquirer",
  ) {
    if (journalPath && existsSync(journalPath)) {
      for (const line of journalLines(journalPath)) {
        if (line.trim() === "") continue;
        const entry = withAmounts({ acquirer, ...(JSON.parse(line) as NewEntry) });
        this.entries.set(`${entry.terminal}/${entry.rrn}`, entry);
      }
    }
  }

  get(terminal: string, rrn: string): LedgerEntry | undefined {
    return this.entries.get(`${terminal}/${rrn}`);
  }

  /** By RRN alone, for the admin API and tests (the newest if two terminals share one). */
  findByRrn(rrn: string): LedgerEntry | undefined {
    return this.all()
      .filter((entry) => entry.rrn === rrn)
      .at(-1);
  }

  all(): LedgerEntry[] {
    return [...this.entries.values()];
  }

  save(entry: NewEntry): LedgerEntry {
    const booked: LedgerEntry = { ...entry, acquirer: this.acquirer, updatedAt: new Date().toISOString() };
    this.entries.set(`${booked.terminal}/${booked.rrn}`, booked);
    if (this.journalPath) appendFileSync(this.journalPath, `${JSON.stringify(booked)}\n`);
    return booked;
  }
}

/** Bytes read at a time when the journal is replayed. */
const READ_BYTES = 1 << 20;

/**
 * The journal's lines, read a megabyte at a time: a busy day's journal (a million entries is
 * about 500 MB) is never one string, which V8 could not even hold (its strings stop near 512 MiB).
 * Synchronous, as the books must be whole before the host answers its first message.
 */
function* journalLines(path: string): Generator<string> {
  const file = openSync(path, "r");
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  // A character split across two reads is held back by the decoder until its next bytes come.
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let rest = "";
  try {
    for (let read = readSync(file, buffer); read > 0; read = readSync(file, buffer)) {
      const lines = (rest + decoder.decode(buffer.subarray(0, read), { stream: true })).split("\n");
      rest = lines.pop() ?? "";
      yield* lines;
    }
    rest += decoder.decode();
    if (rest !== "") yield rest;
  } finally {
    closeSync(file);
  }
}

/** Entries journaled before the authorized and reversed amounts were kept get them from their status. */
function withAmounts(entry: LedgerEntry): LedgerEntry {
  const approved = entry.responseCode === "00" && entry.kind !== "refund";
  return {
    ...entry,
    authorizedAmount: entry.authorizedAmount ?? (approved ? entry.amount : 0),
    reversedAmount: entry.reversedAmount ?? (entry.status === "reversed" ? entry.amount : 0),
  };
}
