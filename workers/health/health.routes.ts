import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";

/** Liveness for load balancers and `npm start`: no auth, no database. */
export const healthRoutes = new Hono<AppEnv>().get("/health", (c) =>
  c.json({ status: "ok", service: "gateway-api", environment: c.env.ENVIRONMENT }),
);
