import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-env.js";
import { type Connection, connect } from "../../db/database.js";
import { ApiError } from "../../errors/api-error.js";
import { timedStage } from "../server-timing/timing-scope.js";

/**
 * Makes `c.var.db()` open a connection on first use (routes that never touch Postgres, like
 * /health and JWKS, pay nothing) and closes it after the response.
 */
export function database(): MiddlewareHandler<AppEnv> {
  return async function database(c, next) {
    let opening: Promise<Connection> | undefined;
    c.set("db", async () => {
      // Opening the connection is storage time (inside another stage, such as auth, it is that stage's).
      opening ??= timedStage("storage", () => connect(c.env)).catch((cause: unknown) => {
        throw new ApiError("database_unavailable", { cause });
      });
      return (await opening).db;
    });
    try {
      await next();
    } finally {
      if (opening) {
        const closing = opening.then((connection) => connection.close()).catch(() => {});
        c.executionCtx.waitUntil(closing);
      }
    }
  };
}
