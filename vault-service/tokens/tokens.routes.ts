import { Hono } from "hono";
import { checkCard } from "../cards/card-validation.js";
import { VaultError } from "../errors/vault-error.js";
import { publishableKeyAuth } from "../middleware/publishable-key-auth/index.js";
import { assertTokenizationOrigin, tokenizationCors } from "../middleware/tokenization-cors/index.js";
import { limitPerClient, limitPerKey } from "../middleware/tokenization-rate-limit/index.js";
import { readJsonBody } from "../validation/json-body.js";
import type { VaultEnv } from "../vault-env.js";
import { createTokenSchema } from "./tokens.schemas.js";
import { type TokenizationDeps, tokenizeCard } from "./tokens.service.js";
import { tokenView } from "./tokens.view.js";

/**
 * `POST /v1/tokens`: a card in, a `tok_` out. Called from a merchant's checkout page (CORS) or
 * server with the publishable key. The only route where a full card number enters the gateway.
 * Limited per client address before anything else and per key once it is known (issue 12, item 4).
 */
export function tokenRoutes(deps: TokenizationDeps) {
  const app = new Hono<VaultEnv>();
  if (deps.limits) app.use(limitPerClient(deps.limits.perClient));
  app.use(tokenizationCors(deps)).use(publishableKeyAuth(deps));
  if (deps.limits) app.use(limitPerKey(deps.limits.perKey));
  return app.use(assertTokenizationOrigin()).post("/", async (c) => {
    const { card } = await readJsonBody(c, createTokenSchema);
    const check = checkCard(
      { number: card.number, expMonth: card.exp_month, expYear: card.exp_year, cvc: card.cvc },
      new Date(),
    );
    if (!check.ok) {
      const { code, field, message } = check.problem;
      throw new VaultError(code, { param: `card[${field}]`, message });
    }
    const caller = c.var.caller!;
    const tokenized = await tokenizeCard(deps, caller, {
      number: card.number,
      expMonth: card.exp_month,
      expYear: card.exp_year,
      cvc: card.cvc,
      name: card.name || null,
      bin: check.bin,
    });
    return c.json(tokenView(tokenized), 201);
  });
}
