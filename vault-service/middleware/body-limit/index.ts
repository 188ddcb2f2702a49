import type { MiddlewareHandler } from "hono";
import { bodyLimit as streamedBodyLimit } from "hono/body-limit";
import { VaultError } from "../../errors/vault-error.js";
import type { VaultEnv } from "../../vault-env.js";

/**
 * Refuses a request body over `maxSize` bytes with 413 before anything reads it (issue 12, item 4).
 * Judged from the request line and headers, as RFC 9112 §6.3 frames a request's body: with
 * `Content-Length` (and no `Transfer-Encoding`) its value is the body's size, and Node's parser
 * reads exactly that many bytes; with neither header there is no body. Only a chunked body is
 * counted as it streams (Hono's `bodyLimit`). Hono's alone would do, but it asks every request
 * for its web `body` stream, which makes `@hono/node-server` build the whole web `Request`
 * (headers, an abort controller, a stream over Node's request) that the routes' own body reads
 * otherwise skip: a tenth of the vault's CPU per tokenization.
 */
export function bodyLimit(maxSize: number): MiddlewareHandler<VaultEnv> {
  const tooLarge = () => {
    throw new VaultError("body_too_large");
  };
  const streamed = streamedBodyLimit({ maxSize, onError: tooLarge });
  return async function bodyLimit(c, next) {
    if (c.req.header("transfer-encoding") !== undefined) return streamed(c, next);
    const length = c.req.header("content-length");
    if (length !== undefined && Number(length) > maxSize) tooLarge();
    await next();
  };
}
