import type { CidrBlock } from "../common/cidr.js";
import type { DashboardRole } from "../db/schema/index.js";
import type { SessionCaller } from "./dashboard-auth/session-caller.js";
import type { Database } from "./db/database.js";
import type { ApiVersion } from "./versions/api-versions.js";

/** The API key a request was authenticated with (never the key itself). */
export interface AuthenticatedKey {
  id: string;
  merchantId: string;
  type: "secret" | "publishable";
  livemode: boolean;
  /** The addresses it may be used from (empty: any); a key it creates can never reach wider. */
  allowedIps: readonly CidrBlock[];
  /** Rolled and in its overlap: it still works, but it may not mint keys. */
  rollingOver: boolean;
  /**
   * Set when the caller is a dashboard user through its session (workers/dashboard-auth/): then
   * `id` is the user's (`usr_...`), so request logs and the audit trail name the person.
   */
  dashboardRole?: DashboardRole;
}

/** An ops client authenticated by an OAuth 2.0 access token. */
export interface OpsPrincipal {
  clientId: string;
  scopes: ReadonlySet<string>;
}

/** Hono's type parameters for the whole app: bindings from `wrangler types`, per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    db: () => Promise<Database>;
    apiKey?: AuthenticatedKey;
    opsPrincipal?: OpsPrincipal;
    /** A dashboard route's signed-in user and session (workers/dashboard-auth/dashboard-session.ts). */
    dashboard?: SessionCaller;
    /** The API version this request speaks: its `Api-Version` header, else the merchant's default. */
    apiVersion?: ApiVersion;
    /** The merchant's own default version (what webhook endpoints start on), header or not. */
    merchantApiVersion?: ApiVersion;
    /** The error code the answer carries, if it is an error (for the merchant's request log). */
    errorCode?: string;
  };
}
