import type { Context, Hono } from "hono";
import type { AppEnv } from "../app-env.js";

/** The edge app, handed in lazily: the pages are mounted on the very app they call (no import cycle). */
export type AppRef = () => Hono<AppEnv>;

/** An answer of the `/v1` API as a page reads it: the status, and the JSON body (an error's too). */
export interface ApiAnswer<T> {
  status: number;
  body: T;
}

/** The wire shape of an API error (DESIGN.md), as pages show it inline. */
export interface ApiErrorBody {
  error: { type: string; code?: string; message: string; param?: string };
}

/**
 * Reads the `/v1` API as the signed-in person, by running the request through the same app (every
 * middleware: the session's checks, role, mode, rate limits, request log, audit), with the
 * browser's own cookie and address. The pages never reach a repository: what a page shows is
 * exactly what the API would answer that session (issue 18: "the same /v1 API, never a second").
 */
export function dashboardApi(c: Context<AppEnv>, app: AppRef) {
  return async function read<T>(path: string): Promise<ApiAnswer<T>> {
    const headers = new Headers({ Accept: "application/json" });
    for (const name of ["Cookie", "CF-Connecting-IP", "User-Agent"]) {
      const value = c.req.header(name);
      if (value) headers.set(name, value);
    }
    const response = await app().fetch(new Request(new URL(path, c.req.url), { headers }), c.env, c.executionCtx);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  };
}

export type ApiReader = ReturnType<typeof dashboardApi>;
