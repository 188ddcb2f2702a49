import { ApiError } from "../errors/api-error.js";
import type { R2StreamWriter } from "../settlement/r2-stream-writer.js";
import { ClearingFileReader } from "./clearing-file.js";
import type { FileLine } from "./reconciliation-matcher.js";
import { type Staging, stageLines } from "./reconciliation-staging.js";
import type { ReportSource } from "./report-sources.js";

/** How long the processor may take to start answering. */
const PULL_TIMEOUT_MS = 30_000;
/** File lines staged per statement: the run holds a page of them, whatever the file's size. */
const PAGE = 2_000;

/**
 * Opens the day's file at the processor's drop, authenticated with the drop's bearer token
 * (RFC 6750 §2.1), as an SFTP pull with a per-client key would be; anything but a 200 is the
 * drop being unavailable, to retry.
 */
export async function pull(source: ReportSource, day: string): Promise<ReadableStream<Uint8Array>> {
  const response = await fetch(`${source.url}/${day}`, {
    headers: { Authorization: `Bearer ${source.token}`, Accept: "text/plain" },
    // A redirect is not the drop answering; following one could carry the token elsewhere.
    redirect: "manual",
    signal: AbortSignal.timeout(PULL_TIMEOUT_MS),
  }).catch((cause: unknown) => {
    throw new ApiError("processor_report_unavailable", { cause });
  });
  if (response.status !== 200 || !response.body) {
    await response.body?.cancel();
    throw new ApiError("processor_report_unavailable", {
      message: `The processor answered ${response.status} for the ${day} file; retry shortly.`,
    });
  }
  return response.body;
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

/** Stores the file as it streams in and stages its lines; checks its trailer at the end. */
export async function ingest(tx: Staging, body: ReadableStream<Uint8Array>, raw: R2StreamWriter, day: string) {
  const reader = new ClearingFileReader(day);
  let page: FileLine[] = [];
  for await (const chunk of body.pipeThrough(new TextDecoderStream())) {
    await raw.write(chunk);
    page.push(...reader.push(chunk));
    if (page.length >= PAGE) {
      await stageLines(tx, page);
      page = [];
    }
  }
  await stageLines(tx, page);
  const lines = reader.end();
  return { lines, file: await raw.close() };
}
