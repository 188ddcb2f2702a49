import type { Hono, MiddlewareHandler } from "hono";
import { methodNotAllowed as honoMethodNotAllowed } from "hono/method-not-allowed";
import type { AppEnv } from "../../app-env.js";
import { ApiError } from "../../errors/api-error.js";
import { renderError } from "../../errors/error-handler.js";

/**
 * 405 with `Allow` when the path exists under other methods (instead of a misleading 404). The
 * app is passed late: the middleware reads its routes on the first miss, when all are mounted.
 */
export function methodNotAllowed(app: () => Hono<AppEnv>): MiddlewareHandler<AppEnv> {
  let handler: MiddlewareHandler<AppEnv> | undefined;
  return (c, next) => {
    handler ??= honoMethodNotAllowed<AppEnv>({
      app: app(),
      onMethodNotAllowed: (context, methods) =>
        renderError(
          context,
          new ApiError("method_not_allowed", {
            message: `${context.req.method} is not allowed here; use ${methods.join(", ")}.`,
            headers: { Allow: methods.join(", ") },
          }),
        ),
    });
    return handler(c, next);
  };
}
