import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-env.js";
import { ApiError } from "../../errors/api-error.js";

/** Where a percent-encoded NUL sits in the URL: the query parameter it is in, else the path. */
function nullParam(url: URL): string {
  for (const [name, value] of url.searchParams) {
    if (name.includes("\u0000") || value.includes("\u0000")) return name.replaceAll("\u0000", "");
  }
  return "path";
}

/**
 * 400 for a URL carrying a NUL (`%00`), before any route reads it. No id, cursor or filter of
 * ours holds one, and Postgres refuses it in any text value (22021: invalid byte sequence), so
 * an id or cursor with one would otherwise end in a 500 at the first query. Bodies get the same
 * rule where they are parsed (`common/request-params.ts`).
 */
export function nullCharacters(): MiddlewareHandler<AppEnv> {
  return async function nullCharacters(c, next) {
    if (/%00/i.test(c.req.url)) {
      const param = nullParam(new URL(c.req.url));
      throw new ApiError("parameter_invalid", {
        param,
        message:
          param === "path"
            ? "The URL's path contains a null character (%00)."
            : `Invalid ${param}: must not contain a null character (%00).`,
      });
    }
    await next();
  };
}
