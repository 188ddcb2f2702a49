import type { MiddlewareHandler } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import type { AppEnv } from "../../app-env.js";
import { ApiError } from "../../errors/api-error.js";

/** Largest request body the API reads: every documented request is a few KiB at most. */
export const MAX_BODY_BYTES = 256 * 1024;

/** 413 before a byte past the limit is read (Content-Length, or counted while streaming). */
export function bodyLimit(): MiddlewareHandler<AppEnv> {
  return honoBodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError("body_too_large");
    },
  });
}
