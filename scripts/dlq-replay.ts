/**
 * `npm run dlq:replay -- <queue>`: replays every parked dead letter of a queue (payment-events,
 * webhook-delivery, settlement-batch, audit-log) through the ops API. Credentials: GATEWAY_API,
 * OPS_CLIENT_ID and OPS_CLIENT_SECRET, or the running `npm start` stack's `.data/dev.json`.
 */
import { opsSession } from "./lib/ops-session.js";

const queue = process.argv[2];
if (!queue) {
  process.stderr.write("usage: npm run dlq:replay -- <payment-events|webhook-delivery|settlement-batch|audit-log>\n");
  process.exit(2);
}

const { api, token } = await opsSession("dead_letters:write");

let total = 0;
for (;;) {
  const response = await fetch(`${api}/v1/ops/dead_letters/${encodeURIComponent(queue)}/replay`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { replayed?: number; has_more?: boolean; error?: { message: string } };
  if (!response.ok) {
    process.stderr.write(`replay failed: ${body.error?.message ?? response.status}\n`);
    process.exit(1);
  }
  total += body.replayed ?? 0;
  if (!body.has_more) break;
}
process.stdout.write(`replayed ${total} dead letters onto ${queue}\n`);
