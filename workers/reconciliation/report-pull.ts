import { ApiError } from "../errors/api-error.js";
import type { R2StreamWriter, WrittenObject } from "../settlement/r2-stream-writer.js";
import type { FileLine } from "./reconciliation-matcher.js";
import { type Staging, stageLines } from "./reconciliation-staging.js";
import { ReportFileInvalid } from "./report-file-invalid.js";
import type { ReportLayout } from "./report-layouts.js";
import type { ReportSource } from "./report-sources.js";
import { statedSha256 } from "./repr-digest.js";

/**
 * How long the processor may take to start answering, and then how long its file may stop
 * arriving: a drop that goes silent mid-file is unavailable, never a run waiting for ever. There is
 * no bound on the whole transfer: a large day streams for as long as it keeps coming.
 */
const IDLE_TIMEOUT_MS = 30_000;
/** File lines staged per statement: the run holds a page of them, whatever the file's size. */
const PAGE = 2_000;

/** The day's file as the drop answers it: its body, and the SHA-256 it states (base64), if it states one. */
export interface PulledReport {
  body: ReadableStream<Uint8Array>;
  sha256: string | null;
}

/**
 * Opens the day's file at the processor's drop, authenticated with the drop's bearer token
 * (RFC 6750 §2.1), as an SFTP pull with a per-client key would be; anything but a 200 is the
 * drop being unavailable, to retry.
 */
export async function pull(source: ReportSource, day: string, mediaType: string): Promise<PulledReport> {
  const idleMs = source.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  const starting = new AbortController();
  const timer = setTimeout(() => starting.abort(new Error(`no answer in ${idleMs} ms`)), idleMs);
  const response = await fetch(`${source.url}/${day}`, {
    headers: { Authorization: `Bearer ${source.token}`, Accept: mediaType },
    // A redirect is not the drop answering; following one could carry the token elsewhere.
    redirect: "manual",
    signal: starting.signal,
  })
    .catch((cause: unknown) => {
      throw new ApiError("processor_report_unavailable", { cause });
    })
    .finally(() => clearTimeout(timer));
  if (response.status !== 200 || !response.body) {
    await response.body?.cancel();
    throw new ApiError("processor_report_unavailable", {
      message: `The processor answered ${response.status} for the ${day} file; retry shortly.`,
    });
  }
  return {
    body: untilSilent(response.body, idleMs, day),
    sha256: statedSha256(response.headers.get("Repr-Digest")),
  };
}

/**
 * The file's bytes as they arrive, erroring (and letting the drop go) when none come for
 * `idleMs`: the run then fails whole, as for a drop that never answered, and is retried.
 */
function untilSilent(body: ReadableStream<Uint8Array>, idleMs: number, day: string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const silent = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new ApiError("processor_report_unavailable", {
                message: `The processor's ${day} file stopped arriving for ${Math.round(idleMs / 1000)} s; retry shortly.`,
              }),
            ),
          idleMs,
        );
      });
      try {
        const next = await Promise.race([reader.read(), silent]);
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        await reader.cancel().catch(() => {});
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * Drops an object a failed or repeated run was writing: finished and deleted rather than
 * aborted, since an aborted writer's digest rejects with no one to catch it (workerd reports an
 * unhandled rejection).
 */
export async function discard(bucket: R2Bucket, writer: R2StreamWriter): Promise<void> {
  await writer.close().catch(() => {});
  await bucket.delete(writer.key).catch(() => {});
}

const base64Of = (hex: string) =>
  btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((b) => Number.parseInt(b, 16))));

/** The stored file against the digest its drop stated: a difference is a file cut short or changed in transfer. */
function checkDigest(file: WrittenObject, stated: string | null, layout: ReportLayout): void {
  if (stated === null) {
    if (layout.digestRequired) {
      throw new ReportFileInvalid("the drop stated no digest of the file, so one cut short could not be told");
    }
    return;
  }
  if (base64Of(file.sha256) !== stated) {
    throw new ReportFileInvalid(
      "the file's SHA-256 is not the one its drop stated: it was cut short or changed in transfer",
    );
  }
}

/** Stores the file as it streams in and stages its lines; checks its trailer (or its digest) at the end. */
export async function ingest(
  tx: Staging,
  pulled: PulledReport,
  raw: R2StreamWriter,
  day: string,
  layout: ReportLayout,
) {
  const reader = layout.reader(day);
  let page: FileLine[] = [];
  // The bytes are stored as they came, a byte-order mark included (the digest covers it); the reader skips one.
  for await (const chunk of pulled.body.pipeThrough(new TextDecoderStream("utf-8", { ignoreBOM: true }))) {
    await raw.write(chunk);
    page.push(...reader.push(chunk));
    if (page.length >= PAGE) {
      await stageLines(tx, page);
      page = [];
    }
  }
  await stageLines(tx, page);
  const lines = reader.end();
  const file = await raw.close();
  checkDigest(file, pulled.sha256, layout);
  return { lines, file };
}
