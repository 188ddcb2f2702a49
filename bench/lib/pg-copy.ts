import type { Socket } from "node:net";
import type pg from "pg";

/**
 * Postgres `COPY` over `pg`'s own connection, as a Submittable (`client.query(submittable)`): the
 * project has `pg` but not `pg-copy-streams`, and a benchmark's preload and baseline want the
 * protocol's bulk path (PostgreSQL docs, "Frontend/Backend Protocol", COPY Operations), not
 * statements of parameters. `COPY ... FROM STDIN` sends CopyData messages then CopyDone;
 * `COPY ... TO STDOUT` receives CopyData until CommandComplete.
 */

/** The part of `pg`'s connection a Submittable drives (pg/lib/connection.js). */
interface Connection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: Socket;
}

abstract class CopyQuery<T> {
  protected error: Error | null = null;
  protected rowCount = 0;
  readonly done: Promise<T>;
  private settle!: { resolve(value: T): void; reject(error: Error): void };

  constructor(private readonly text: string) {
    this.done = new Promise<T>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  submit(connection: Connection): void {
    connection.query(this.text);
  }

  handleCommandComplete(message: { text: string }): void {
    this.rowCount = Number(message.text.split(" ").at(-1));
  }

  handleError(error: Error): void {
    this.error = error;
  }

  handleReadyForQuery(): void {
    if (this.error) this.settle.reject(this.error);
    else this.settle.resolve(this.result());
  }

  handleCopyInResponse(connection: Connection): void {
    connection.sendCopyFail("this query sends no data");
  }

  handleCopyData(_message: { chunk: Buffer }): void {}

  // A COPY answers with none of these; declared because the client calls them on any query.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}

  protected abstract result(): T;
}

class CopyIn extends CopyQuery<number> {
  constructor(
    text: string,
    private readonly chunks: Iterable<string>,
  ) {
    super(text);
  }

  override handleCopyInResponse(connection: Connection): void {
    void this.send(connection).catch((error: unknown) => {
      connection.sendCopyFail(error instanceof Error ? error.message : String(error));
    });
  }

  /** Chunk by chunk, waiting for the socket to drain when it asks (backpressure). */
  private async send(connection: Connection): Promise<void> {
    for (const chunk of this.chunks) {
      connection.sendCopyFromChunk(Buffer.from(chunk));
      if (connection.stream.writableNeedDrain) {
        await new Promise((resolve) => connection.stream.once("drain", resolve));
      }
    }
    connection.endCopyFrom();
  }

  protected result(): number {
    return this.rowCount;
  }
}

class CopyOut extends CopyQuery<{ rows: number; bytes: number }> {
  private bytes = 0;

  override handleCopyData(message: { chunk: Buffer }): void {
    this.bytes += message.chunk.length;
  }

  protected result() {
    return { rows: this.rowCount, bytes: this.bytes };
  }
}

/** `COPY <table> FROM STDIN` of text-format rows (tab-separated, `\N` for null); the rows copied. */
export function copyIn(client: pg.Client, text: string, chunks: Iterable<string>): Promise<number> {
  const query = new CopyIn(text, chunks);
  client.query(query as unknown as pg.QueryConfig);
  return query.done;
}

/** `COPY (<select>) TO STDOUT`, read and dropped: the rows and bytes Postgres sent. */
export function copyOut(client: pg.Client, text: string): Promise<{ rows: number; bytes: number }> {
  const query = new CopyOut(text);
  client.query(query as unknown as pg.QueryConfig);
  return query.done;
}
