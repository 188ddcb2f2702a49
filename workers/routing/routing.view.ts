import type { Owner } from "../../common/owner.js";
import type { StoredRouting } from "./routing.repository.js";
import type { RoutingDecision } from "./routing-engine.js";

/** `GET/PUT /v1/routing`: the configuration, its version and mode. */
export function routingView(owner: Owner, stored: StoredRouting) {
  return {
    object: "routing_config" as const,
    livemode: owner.livemode,
    version: stored.version,
    updated: stored.updatedAt === null ? null : Math.floor(stored.updatedAt.getTime() / 1000),
    rules: stored.config.rules,
    default: stored.config.default,
    disabled: stored.config.disabled,
    ...(stored.config.max_attempts === undefined ? {} : { max_attempts: stored.config.max_attempts }),
  };
}

/** `POST /v1/routing/simulate`: the decision, and what it was made from, so it can be replayed. */
export function decisionView(
  owner: Owner,
  version: number,
  decision: RoutingDecision,
  draws: { draw: number; hedgeDraw: number },
) {
  return {
    object: "routing_decision" as const,
    livemode: owner.livemode,
    config_version: version,
    rule: decision.rule,
    candidates: decision.candidates,
    skipped: decision.skipped,
    explanation: decision.explanation,
    draw: draws.draw,
    hedge_draw: draws.hedgeDraw,
  };
}
