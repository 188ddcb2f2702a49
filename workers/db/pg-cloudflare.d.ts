/**
 * The types of pg-cloudflare's socket as the Workers build imports it (its `workerd` export,
 * `esm/index.mjs`, ships no declarations; the default export is an empty stub for Node). Only
 * what `corked-socket.ts` uses: the class is pg-cloudflare's own `dist/index.d.ts`.
 */
declare module "pg-cloudflare" {
  import type { EventEmitter } from "node:events";

  export class CloudflareSocket extends EventEmitter {
    constructor(ssl: boolean);
    write(data: Uint8Array | string, callback?: (error?: unknown) => void): boolean | undefined;
    write(
      data: Uint8Array | string,
      encoding?: BufferEncoding,
      callback?: (error?: unknown) => void,
    ): boolean | undefined;
  }
}
