import type { IntentRecord } from "./ledger.js";
import { invalidRequest, type StripeFailure } from "./stripe-error.js";

/**
 * The part of Stripe's search query language (docs.stripe.com/search#search-query-language) the
 * PaymentIntent search here understands: exact-match clauses on `status` and `metadata['key']`,
 * each optionally negated with `-`, values in single or double quotes (a backslash escapes a
 * quote), up to 10 clauses joined by `AND` or `OR` (case insensitive; a bare space is `AND`),
 * never both in one query, and no parentheses, as Stripe documents. Anything else (other fields,
 * `~` substring or numeric comparisons, unquoted values) is refused as Stripe refuses a query it
 * cannot parse: a 400 `invalid_request_error` naming `query`.
 */
export interface SearchClause {
  field: "status" | "metadata";
  /** The metadata key; null for `status`. */
  key: string | null;
  value: string;
  negated: boolean;
}

export interface SearchQuery {
  join: "AND" | "OR";
  clauses: SearchClause[];
}

const MAX_CLAUSES = 10;
const QUOTED = String.raw`'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"`;
const CLAUSE = new RegExp(String.raw`(-?)(?:(status)|metadata\[(${QUOTED})\]):(${QUOTED})`, "y");
const JOIN = /\s+(?:(AND|OR)\s+)?/iy;

export function parseSearchQuery(text: string): SearchQuery {
  const clauses: SearchClause[] = [];
  let join: SearchQuery["join"] | null = null;
  let at = text.search(/\S/);
  if (at === -1) throw invalidQuery("it is empty.");
  for (;;) {
    CLAUSE.lastIndex = at;
    const clause = CLAUSE.exec(text);
    if (!clause) throw unparsable(at);
    clauses.push({
      field: clause[2] ? "status" : "metadata",
      key: clause[3] ? unquote(clause[3]) : null,
      value: unquote(clause[4] as string),
      negated: clause[1] === "-",
    });
    at = CLAUSE.lastIndex;
    if (text.slice(at).trim() === "") break;
    JOIN.lastIndex = at;
    const separator = JOIN.exec(text);
    if (!separator) throw unparsable(at);
    const keyword = (separator[1]?.toUpperCase() ?? "AND") as SearchQuery["join"];
    if (join !== null && join !== keyword) throw invalidQuery("a query cannot combine AND and OR clauses.");
    join = keyword;
    at = JOIN.lastIndex;
  }
  if (clauses.length > MAX_CLAUSES) throw invalidQuery(`a query can have at most ${MAX_CLAUSES} clauses.`);
  return { join: join ?? "AND", clauses };
}

/** Whether a PaymentIntent answers the query. Status compares case-insensitively, metadata exactly. */
export function matchesQuery(query: SearchQuery, record: IntentRecord): boolean {
  const holds = (clause: SearchClause) => matchesClause(clause, record) !== clause.negated;
  return query.join === "AND" ? query.clauses.every(holds) : query.clauses.some(holds);
}

function matchesClause(clause: SearchClause, record: IntentRecord): boolean {
  if (clause.field === "status") return record.status === clause.value.toLowerCase();
  const key = clause.key as string;
  return Object.hasOwn(record.metadata, key) && record.metadata[key] === clause.value;
}

function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(.)/g, "$1");
}

function unparsable(at: number): StripeFailure {
  return invalidQuery(
    `cannot parse it at character ${at + 1}. Supported clauses are status:'value' and metadata['key']:'value', joined by AND or OR.`,
  );
}

function invalidQuery(reason: string): StripeFailure {
  return invalidRequest(`Invalid search query: ${reason}`, "query");
}
