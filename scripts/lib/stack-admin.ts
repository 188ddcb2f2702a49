import { timingSafeEqual } from "node:crypto";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import type { RunningHyperdrivePool } from "./hyperdrive-pool/pool-server.js";
import type { SupervisedService } from "./supervised-service.js";

/** What the admin API controls: the supervised vault, Postgres (when embedded) and the rest by pid. */
export interface StackControls {
  vault: SupervisedService;
  /** Absent with an external DATABASE_URL: the stack does not own that database. */
  postgres?: { running(): boolean; stop(): Promise<void>; start(): Promise<void> };
  /** Local Hyperdrive's pool (absent with HYPERDRIVE_POOL=off). */
  hyperdrive?: Pick<RunningHyperdrivePool, "stats" | "drain">;
  /** Services the admin API reports but does not control. */
  others: () => { name: string; pid: number | undefined; state: string }[];
  /** The edge's own fault switches, for the answer to `GET /health` (they are routes of the edge). */
  edgeChaos: string;
  /** The bearer token every call must carry (it is in `.data/dev.json`, mode 0600). */
  token: string;
  log: (line: string) => void;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const problem = (message: string) => ({ error: { type: "invalid_request_error", message } });

/**
 * The stack's control panel for fault campaigns (`npm run chaos`), loopback only: pause, kill and
 * restart the vault, stop and start the embedded Postgres. It is a development tool of `npm start`;
 * nothing like it exists in a deployment, where the platform's supervisor owns the processes.
 * Loopback is not enough: any web page the developer has open can POST to 127.0.0.1 without a
 * preflight. So a call must carry the token from `dev.json`, and a browser's call (it always
 * says its Origin) is refused outright.
 */
export function stackAdminApp(controls: StackControls): Hono {
  const vaultAction = (action: "pause" | "resume" | "kill" | "restart") => async () => {
    controls.log(`stack admin: vault ${action}`);
    if (action === "restart") await controls.vault.restart();
    else controls.vault[action]();
  };
  return new Hono()
    .use(async (c, next) => {
      if (c.req.header("Origin") !== undefined)
        return c.json(problem("Browsers may not call the stack admin API."), 403);
      const bearer = /^Bearer (.+)$/.exec(c.req.header("Authorization") ?? "")?.[1] ?? "";
      if (!sameToken(bearer, controls.token)) {
        return c.json(problem("Send the stack_admin_token from .data/dev.json as a bearer token."), 401);
      }
      await next();
    })
    .get("/health", (c) =>
      c.json({
        services: [
          {
            name: controls.vault.name,
            pid: controls.vault.pid() ?? null,
            state: controls.vault.state(),
            restarts: controls.vault.restarts(),
          },
          ...controls.others().map((service) => ({ ...service, pid: service.pid ?? null })),
          {
            name: "postgres",
            pid: null,
            state: controls.postgres ? (controls.postgres.running() ? "running" : "stopped") : "external",
          },
        ],
        edge_chaos: controls.edgeChaos,
      }),
    )
    .post("/services/:name/:action", async (c) => {
      const { name, action } = c.req.param();
      if (name !== "vault") return c.json(problem(`Only the vault can be controlled, not '${name}'.`), 404);
      if (action !== "pause" && action !== "resume" && action !== "kill" && action !== "restart") {
        return c.json(problem(`Unknown action '${action}': pause, resume, kill or restart.`), 404);
      }
      await vaultAction(action)();
      return c.json({ name, action, pid: controls.vault.pid() ?? null, state: controls.vault.state() });
    })
    .post("/postgres/:action", async (c) => {
      const action = c.req.param("action");
      if (action !== "stop" && action !== "start") {
        return c.json(problem(`Unknown action '${action}': stop or start.`), 404);
      }
      if (!controls.postgres) {
        return c.json(problem("Postgres is external (DATABASE_URL): the stack does not stop or start it."), 409);
      }
      controls.log(`stack admin: postgres ${action}`);
      if (action === "stop" && controls.postgres.running()) await controls.postgres.stop();
      if (action === "start" && !controls.postgres.running()) await controls.postgres.start();
      return c.json({ name: "postgres", state: controls.postgres.running() ? "running" : "stopped" });
    })
    .get("/hyperdrive", (c) => {
      if (!controls.hyperdrive) return c.json(problem("Local Hyperdrive is off (HYPERDRIVE_POOL=off)."), 409);
      return c.json({ name: "hyperdrive", ...controls.hyperdrive.stats() });
    })
    .post("/hyperdrive/drain", (c) => {
      if (!controls.hyperdrive) return c.json(problem("Local Hyperdrive is off (HYPERDRIVE_POOL=off)."), 409);
      // What a Hyperdrive failover or a database restart does: every kept session gone, so the
      // next requests start new ones (and find out whether Postgres is there).
      controls.log("stack admin: hyperdrive drain");
      return c.json({ name: "hyperdrive", closed: controls.hyperdrive.drain(), ...controls.hyperdrive.stats() });
    })
    .notFound((c) => c.json(problem(`No route ${c.req.method} ${c.req.path}.`), 404))
    .onError((error, c) => c.json({ error: { type: "api_error", message: error.message } }, 500));
}

/** Serves the admin API on 127.0.0.1:`port`. */
export function startStackAdmin(port: number, controls: StackControls): Promise<ServerType> {
  return new Promise((resolve) => {
    const server = serve({ fetch: stackAdminApp(controls).fetch, hostname: "127.0.0.1", port }, () => resolve(server));
  });
}
