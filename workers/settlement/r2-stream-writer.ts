/**
 * The size of every multipart part but the last: R2's smallest (5 MiB), and the same for each,
 * since R2 refuses to complete an upload whose parts before the last differ in size (10048).
 */
const PART_BYTES = 5 * 1024 * 1024;

const encoder = new TextEncoder();

/** What was written: its SHA-256 (hex, of the exact bytes stored) and its size. */
export interface WrittenObject {
  key: string;
  sha256: string;
  bytes: number;
}

/**
 * An R2 object written as a stream of text (issue 16 item 6: a settlement or a report is never
 * held whole in memory): buffered to 5 MiB parts of a multipart upload, or one `put` when it
 * stays smaller, hashed on the way (workerd's `crypto.DigestStream`). Until `close`, nothing is
 * visible under the key; `abort` drops the parts. A rerun writes the same key again, so a cut or
 * report that failed halfway leaves no half-written object behind.
 */
export class R2StreamWriter {
  private readonly chunks: Uint8Array[] = [];
  private buffered = 0;
  private total = 0;
  private upload: R2MultipartUpload | null = null;
  private readonly parts: R2UploadedPart[] = [];
  private readonly digest = new crypto.DigestStream("SHA-256");
  private readonly hashing = this.digest.getWriter();

  constructor(
    private readonly bucket: R2Bucket,
    readonly key: string,
    private readonly contentType: string,
    private readonly metadata: Record<string, string> = {},
  ) {
    // An aborted stream rejects its digest: awaited only by `close`, so handled here for `abort`.
    this.digest.digest.catch(() => {});
  }

  async write(text: string): Promise<void> {
    const bytes = encoder.encode(text);
    await this.hashing.write(bytes);
    this.chunks.push(bytes);
    this.buffered += bytes.length;
    this.total += bytes.length;
    while (this.buffered >= PART_BYTES) await this.sendPart(this.take(PART_BYTES));
  }

  async close(): Promise<WrittenObject> {
    await this.hashing.close();
    const sha256 = [...new Uint8Array(await this.digest.digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    const options = { httpMetadata: { contentType: this.contentType }, customMetadata: { ...this.metadata, sha256 } };
    if (this.upload === null) {
      await this.bucket.put(this.key, this.take(this.buffered), options);
    } else {
      if (this.buffered > 0) await this.sendPart(this.take(this.buffered));
      await this.upload.complete(this.parts);
    }
    return { key: this.key, sha256, bytes: this.total };
  }

  async abort(): Promise<void> {
    await this.hashing.abort().catch(() => {});
    await this.upload?.abort().catch(() => {});
  }

  /** The first `size` buffered bytes as one array; a chunk split at the boundary leaves its rest first in line. */
  private take(size: number): Uint8Array {
    const out = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const chunk = this.chunks.shift() as Uint8Array;
      const used = Math.min(chunk.length, size - at);
      out.set(chunk.subarray(0, used), at);
      if (used < chunk.length) this.chunks.unshift(chunk.subarray(used));
      at += used;
    }
    this.buffered -= size;
    return out;
  }

  private async sendPart(bytes: Uint8Array): Promise<void> {
    this.upload ??= await this.bucket.createMultipartUpload(this.key, {
      httpMetadata: { contentType: this.contentType },
      customMetadata: this.metadata,
    });
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, bytes));
  }
}
