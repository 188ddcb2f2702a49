import { createHash, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { clearingFileLines } from "./clearing-file.js";
import { type Discrepancies, discrepanciesSchema, NO_DISCREPANCIES } from "./discrepancies.js";
import type { Ledger } from "./ledger.js";

/** Lines per chunk of the streamed answer: a day of a million lines is never one string. */
const LINES_PER_CHUNK = 1_000;

const digest = (text: string) => createHash("sha256").update(text).digest();

/** A real calendar day, YYYY-MM-DD. */
function isDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

/**
 * Where the acquirer publishes its clearing files for the gateway to pull, as an SFTP drop with
 * a per-client credential would: `GET /reports/clearing/{YYYY-MM-DD}` with
 * `Authorization: Bearer <token>` (RFC 6750 §2.1; a missing or wrong token is a 401 with its
 * `WWW-Authenticate` challenge, §3). A past day is its whole file, today's the day so far; every
 * file is made from the books when asked, so what `PUT /reports/discrepancies` says is in the
 * next files until `DELETE` clears it. Without a token configured nothing is published.
 */
export function clearingReportRoutes(deps: {
  ledger: Ledger;
  acquirer: string;
  country: string;
  token: string | null;
  discrepancies: { get(): Discrepancies; set(next: Discrepancies): void };
}) {
  const expected = deps.token === null ? null : digest(deps.token);
  return new Hono()
    .get("/clearing/:day", (c) => {
      if (expected === null) return c.json({ error: "no report token is configured (ACQUIRER_REPORT_TOKEN)" }, 404);
      const [scheme, presented] = (c.req.header("Authorization") ?? "").trim().split(/\s+/, 2);
      // Compared as digests, in constant time: the answer never tells how much of a guess was right.
      if (!/^bearer$/i.test(scheme ?? "") || !presented || !timingSafeEqual(digest(presented), expected)) {
        c.header("WWW-Authenticate", `Bearer realm="clearing", error="invalid_token"`);
        return c.json({ error: "a valid bearer token is required" }, 401);
      }
      const day = c.req.param("day");
      if (!isDay(day)) return c.json({ error: "day must be a date, YYYY-MM-DD" }, 400);
      if (day > new Date().toISOString().slice(0, 10)) return c.json({ error: "no file for a day yet to come" }, 404);
      const lines = clearingFileLines(deps.ledger.all(), day, {
        acquirer: deps.acquirer,
        country: deps.country,
        discrepancies: deps.discrepancies.get(),
      });
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk: string[] = [];
          for (let next = lines.next(); ; next = lines.next()) {
            if (next.done) {
              if (chunk.length > 0) controller.enqueue(encoder.encode(`${chunk.join("\n")}\n`));
              controller.close();
              return;
            }
            chunk.push(next.value);
            if (chunk.length === LINES_PER_CHUNK) break;
          }
          controller.enqueue(encoder.encode(`${chunk.join("\n")}\n`));
        },
      });
      return c.body(body, 200, {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": `attachment; filename="clearing-${day.replaceAll("-", "")}.txt"`,
        "Cache-Control": "no-store",
      });
    })
    .get("/discrepancies", (c) => c.json(deps.discrepancies.get()))
    .put("/discrepancies", async (c) => {
      const parsed = discrepanciesSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json({ error: parsed.error.issues[0]?.message ?? "invalid" }, 400);
      deps.discrepancies.set(parsed.data);
      return c.json(parsed.data);
    })
    .delete("/discrepancies", (c) => {
      deps.discrepancies.set(NO_DISCREPANCIES);
      return c.json(NO_DISCREPANCIES);
    });
}
