import { createHash, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import type { z } from "zod";

/** Lines per chunk of the streamed answer: a day of a million lines is never one string. */
const LINES_PER_CHUNK = 1_000;

const digest = (text: string) => createHash("sha256").update(text).digest();

/** A real calendar day, YYYY-MM-DD. */
function isDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

/** One simulator's daily report as it publishes it, and what it gets wrong on purpose. */
export interface ReportDrop<D> {
  /** The report's path segment: `GET /{name}/{YYYY-MM-DD}` (clearing, balance, settlement). */
  name: string;
  /** The setting that configures `token`, for the answer when none is. */
  tokenSetting: string;
  /** The bearer token the gateway pulls with; null: nothing is published. */
  token: string | null;
  contentType: string;
  filename(day: string): string;
  /** The day's lines (without line ends), made from the books as they stand, wrong as `wrong` says. */
  lines(day: string, wrong: D): Iterator<string>;
  /** CRLF for CSV (RFC 4180 §2), LF for the acquirer's fixed columns. */
  eol: "\n" | "\r\n";
  /**
   * Whether the answer states the file's SHA-256 in `Repr-Digest` (RFC 9530 §3): a layout with
   * no trailer tells a file cut short in transfer no other way. Made in a first pass over the
   * lines, so the body still streams; books that changed between the passes make a file that no
   * longer matches, which the gateway refuses and pulls again.
   */
  digest: boolean;
  schema: z.ZodType<D>;
  none: D;
  discrepancies: { get(): D; set(next: D): void };
}

/** The lines as one stream of UTF-8 chunks, `LINES_PER_CHUNK` at a time, each line ended. */
function streamOf(lines: Iterator<string>, eol: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk: string[] = [];
      for (let next = lines.next(); !next.done; next = lines.next()) {
        chunk.push(next.value);
        if (chunk.length === LINES_PER_CHUNK) break;
      }
      if (chunk.length > 0) controller.enqueue(encoder.encode(`${chunk.join(eol)}${eol}`));
      if (chunk.length < LINES_PER_CHUNK) controller.close();
    },
  });
}

function sha256Of(lines: Iterator<string>, eol: string): string {
  const hash = createHash("sha256");
  for (let next = lines.next(); !next.done; next = lines.next()) hash.update(`${next.value}${eol}`);
  return hash.digest("base64");
}

/**
 * Where a simulator publishes its daily report for the gateway to pull, as an SFTP drop with a
 * per-client credential would: `GET /{name}/{YYYY-MM-DD}` with `Authorization: Bearer <token>`
 * (RFC 6750 §2.1; a missing or wrong token is a 401 with its `WWW-Authenticate` challenge, §3).
 * A past day is its whole report, today's the day so far, a day to come nothing (404); every
 * report is made from the books when asked, so what `PUT /discrepancies` says is in the next
 * ones until `DELETE` clears it. Without a token configured nothing is published.
 */
export function reportDropRoutes<D>(drop: ReportDrop<D>) {
  const expected = drop.token === null ? null : digest(drop.token);
  return new Hono()
    .get(`/${drop.name}/:day`, (c) => {
      if (expected === null) return c.json({ error: `no report token is configured (${drop.tokenSetting})` }, 404);
      const [scheme, presented] = (c.req.header("Authorization") ?? "").trim().split(/\s+/, 2);
      // Compared as digests, in constant time: the answer never tells how much of a guess was right.
      if (!/^bearer$/i.test(scheme ?? "") || !presented || !timingSafeEqual(digest(presented), expected)) {
        c.header("WWW-Authenticate", `Bearer realm="${drop.name}", error="invalid_token"`);
        return c.json({ error: "a valid bearer token is required" }, 401);
      }
      const day = c.req.param("day");
      if (!isDay(day)) return c.json({ error: "day must be a date, YYYY-MM-DD" }, 400);
      if (day > new Date().toISOString().slice(0, 10)) return c.json({ error: "no report for a day yet to come" }, 404);
      const wrong = drop.discrepancies.get();
      const headers: Record<string, string> = {
        "Content-Type": drop.contentType,
        "Content-Disposition": `attachment; filename="${drop.filename(day)}"`,
        "Cache-Control": "no-store",
      };
      if (drop.digest) headers["Repr-Digest"] = `sha-256=:${sha256Of(drop.lines(day, wrong), drop.eol)}:`;
      return c.body(streamOf(drop.lines(day, wrong), drop.eol), 200, headers);
    })
    .get("/discrepancies", (c) => c.json(drop.discrepancies.get()))
    .put("/discrepancies", async (c) => {
      const parsed = drop.schema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json({ error: parsed.error.issues[0]?.message ?? "invalid" }, 400);
      drop.discrepancies.set(parsed.data);
      return c.json(parsed.data);
    })
    .delete("/discrepancies", (c) => {
      drop.discrepancies.set(drop.none);
      return c.json(drop.none);
    });
}
