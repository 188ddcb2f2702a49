import { Hono } from "hono";

/**
 * The cardholder-data zone's HTTP surface (origin service, PCI scope). Today: health. The
 * tokenization API, the edge-only internal API and the connectors are the next issue's work.
 */
export function createVaultApp(checkDatabase: () => Promise<void>) {
  return new Hono()
    .get("/health", async (c) => {
      try {
        await checkDatabase();
        return c.json({ status: "ok", service: "vault-service", database: "ok" });
      } catch {
        return c.json({ status: "degraded", service: "vault-service", database: "unreachable" }, 503);
      }
    })
    .notFound((c) =>
      c.json(
        { error: { type: "invalid_request_error", code: "route_not_found", message: "Unrecognized request URL." } },
        404,
      ),
    );
}
