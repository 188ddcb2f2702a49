import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { docsPage } from "./docs-page.js";
import { openApiDocument } from "./document.js";

/** Built once per isolate, like the document. */
let page: Awaited<ReturnType<typeof docsPage>> | undefined;

/**
 * The reference, public like Stripe's: the OpenAPI document, and `/docs`, which renders it on
 * the server (readable with scripts off) and adds a small console to try requests with your key.
 * The page's one inline script is allowed by its hash, so the API's strict CSP still holds.
 */
export const openApiRoutes = new Hono<AppEnv>()
  .get("/v1/openapi.json", (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(openApiDocument());
  })
  .get("/docs", async (c) => {
    page ??= await docsPage(openApiDocument());
    c.header("Content-Security-Policy", page.contentSecurityPolicy);
    c.header("Cache-Control", "public, max-age=300");
    return c.html(page.html);
  });
