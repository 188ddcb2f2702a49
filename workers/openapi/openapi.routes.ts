import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { readQuery } from "../validation/request-body.js";
import type { ApiVersion } from "../versions/api-versions.js";
import { LATEST_API_VERSION } from "../versions/api-versions.js";
import { docsPage } from "./docs-page.js";
import { openApiDocument } from "./document.js";
import { referenceQuerySchema } from "./reference.openapi.js";

/** Built once per isolate and version, like the document. */
const pages = new Map<ApiVersion, Awaited<ReturnType<typeof docsPage>>>();

/**
 * The reference, public like Stripe's: the OpenAPI document, and `/docs`, which renders it on
 * the server (readable with scripts off) and adds a small console to try requests with your key.
 * The page's one inline script is allowed by its hash, so the API's strict CSP still holds.
 * `?api_version=` describes an older version (the latest without it).
 */
export const openApiRoutes = new Hono<AppEnv>()
  .get("/v1/openapi.json", (c) => {
    const version = readQuery(c, referenceQuerySchema).api_version ?? LATEST_API_VERSION;
    c.header("Cache-Control", "public, max-age=300");
    return c.json(openApiDocument(version));
  })
  .get("/docs", async (c) => {
    const version = readQuery(c, referenceQuerySchema).api_version ?? LATEST_API_VERSION;
    let page = pages.get(version);
    if (!page) {
      page = await docsPage(openApiDocument(version));
      pages.set(version, page);
    }
    c.header("Content-Security-Policy", page.contentSecurityPolicy);
    c.header("Cache-Control", "public, max-age=300");
    return c.html(page.html);
  });
