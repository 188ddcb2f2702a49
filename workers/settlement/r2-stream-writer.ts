/** R2's smallest multipart part (all but the last): 5 MiB. Parts are sent at this size. */
const PART_BYTES = 5 * 1024 * 1024;

const encoder = new TextEncoder();

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

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
  private chunks: Uint8Array[] = [];
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
    if (this.buffered >= PART_BYTES) await this.sendPart();
  }

  async close(): Promise<WrittenObject> {
    await this.hashing.close();
    const sha256 = [...new Uint8Array(await this.digest.digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    const options = { httpMetadata: { contentType: this.contentType }, customMetadata: { ...this.metadata, sha256 } };
    if (this.upload === null) {
      await this.bucket.put(this.key, concat(this.chunks, this.buffered), options);
    } else {
      if (this.buffered > 0) await this.sendPart();
      await this.upload.complete(this.parts);
    }
    this.chunks = [];
    return { key: this.key, sha256, bytes: this.total };
  }

  async abort(): Promise<void> {
    await this.hashing.abort().catch(() => {});
    await this.upload?.abort().catch(() => {});
  }

  private async sendPart(): Promise<void> {
    this.upload ??= await this.bucket.createMultipartUpload(this.key, {
      httpMetadata: { contentType: this.contentType },
      customMetadata: this.metadata,
    });
    const part = await this.upload.uploadPart(this.parts.length + 1, concat(this.chunks, this.buffered));
    this.parts.push(part);
    this.chunks = [];
    this.buffered = 0;
  }
}
