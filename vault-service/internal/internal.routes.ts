import { type Context, Hono } from "hono";
import {
  authorizeRequestSchema,
  followUpRequestSchema,
  inquireRequestSchema,
} from "../../common/vault-internal-api.js";
import type { CvcStore } from "../cards/cvc-store.js";
import type { NetworkLinks } from "../connectors/network-links.js";
import type { VaultDatabase } from "../db/vault-database.js";
import type { KeyProvider } from "../keys/key-provider.js";
import { type EdgeTokenVerifier, edgeAuth } from "../middleware/edge-auth/index.js";
import { authorizeOperation } from "../operations/authorize-operation.js";
import { type FollowUpKind, followUpOperation } from "../operations/follow-up-operation.js";
import { inquireOperation } from "../operations/inquire-operation.js";
import type { OperationResolver } from "../operations/operation-resolver.js";
import { readJsonBody } from "../validation/json-body.js";
import type { VaultEnv } from "../vault-env.js";
import { requireCallerOwns } from "./caller-binding.js";
import type { JtiReplayGuard } from "./jti-replay-guard.js";

export interface InternalDeps {
  db: VaultDatabase;
  keys: KeyProvider;
  cvcs: CvcStore;
  /** `VAULT_TOKEN_UNUSED_TTL_SECONDS`: an older token no payment has used is refused as unknown. */
  unusedTokenTtlSeconds?: number;
  /** Each mode's network links: an operation goes out only on its own mode's. */
  links: NetworkLinks;
  verifyEdgeToken: EdgeTokenVerifier;
  /** The edge tokens' replay guard, shared by every replica; its sweep is started by the vault's main. */
  replayGuard: JtiReplayGuard;
  /** How long after `sent` the resolver may assume the sender died without journaling an answer. */
  staleAfterMs: number;
  /** Works the journal's owed operations; started by the vault's main, stopped on shutdown. */
  resolver: OperationResolver;
}

/**
 * The edge's door into the cardholder-data zone: authorize a token; capture, void or refund by
 * the authorization's processor reference; inquire by operation id. Every operation names its
 * payment's mode, which picks its network links; it is named by the edge's operation id and
 * journaled before the wire (`vault-service/operations/`); only the
 * payment the edge's token was signed for may name its operations. Card numbers go in one
 * direction only, to the connector; no response carries one. A decline is a 200 with
 * `outcome: "declined"`.
 */
export function internalRoutes(deps: InternalDeps) {
  const followUp = (kind: FollowUpKind) =>
    async function route(c: Context<VaultEnv>) {
      const body = await readJsonBody(c, followUpRequestSchema);
      requireCallerOwns(c, body);
      return c.json(await followUpOperation(deps, kind, body));
    };
  return new Hono<VaultEnv>()
    .use(edgeAuth(deps.verifyEdgeToken))
    .post("/authorize", async (c) => {
      const body = await readJsonBody(c, authorizeRequestSchema);
      requireCallerOwns(c, body);
      return c.json(await authorizeOperation(deps, body));
    })
    .post("/capture", followUp("completion"))
    .post("/void", followUp("reversal"))
    .post("/refund", followUp("refund"))
    .post("/inquire", async (c) => {
      const body = await readJsonBody(c, inquireRequestSchema);
      requireCallerOwns(c, body);
      return c.json(await inquireOperation(deps.db, body.operation_id));
    });
}
