import { type DevJson, tokenize } from "../../test/support/running-stack.js";

/**
 * `count` card tokens made at the vault as a browser makes them (pay.js), 16 at a time, for runs
 * that must pay with a card the edge has never routed: the router's facts of a token new to an
 * isolate come from Postgres (workers/payments/routing-facts-cache.ts). Any refusal ends the
 * benchmark: the stack must be started with the vault's tokenization throttles out of reach.
 */
export async function newCards(dev: DevJson, count: number): Promise<string[]> {
  const tokens: string[] = [];
  const worker = async () => {
    while (tokens.length < count) {
      const answer = await tokenize(dev, dev.publishable_key, "4242424242424242");
      if (answer.status !== 201 || typeof answer.json.id !== "string") {
        throw new Error(`BENCHMARK FAILED: tokenization answered ${answer.status} ${JSON.stringify(answer.json)}`);
      }
      tokens.push(answer.json.id);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return tokens.slice(0, count);
}
