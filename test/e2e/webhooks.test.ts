import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, type DevJson, startStack, tokenizeCard } from "../support/running-stack.js";
import { findSecrets } from "../support/secret-scan.js";
import { query } from "../support/sql-client.js";
import { stackWritings } from "../support/stack-scan.js";
import { eventually, WebhookReceiver } from "../support/webhook-receiver.js";

/**
 * Webhooks end to end: payments through the stack `npm start` boots, the projection turning
 * their transitions into events, the `webhook-delivery` queue posting them to receivers on real
 * ports, and the receivers checking every request with the npm `standardwebhooks` package.
 * Retry waits are shortened to 1 s (production: 5 s, 5 min, ... about three days).
 */
let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;
const receiver = new WebhookReceiver();
const gone = new WebhookReceiver();
const disputes = new WebhookReceiver();
const oldVersion = new WebhookReceiver();
let endpointId: string;
let token: string;
const secrets: string[] = [];

async function endpoint(url: string, enabled_events: string[]) {
  const created = await apiCall(dev, "POST", "/v1/webhook_endpoints", { json: { url, enabled_events } });
  expect(created.status).toBe(201);
  secrets.push(created.json.secret);
  return created.json as { id: string; secret: string };
}

async function pay(capture: "automatic" | "manual" = "automatic", amount = 2_000) {
  const created = await apiCall(dev, "POST", "/v1/payments", {
    json: { amount, currency: "usd", payment_method: { type: "card", token }, capture_method: capture },
  });
  expect(created.status).toBe(200);
  return created.json.id as string;
}

const about = (request: { body: string }) =>
  (JSON.parse(request.body) as { data: { object: { id: string } & Record<string, unknown> } }).data.object;

beforeAll(async () => {
  // The receivers listen on this machine over http: the local-development switch allows them.
  stack = await startStack({ WEBHOOK_RETRY_SCHEDULE_SECONDS: "1,1,1,1,1,1,1,1,1,1", WEBHOOK_LOCAL_RECEIVERS: "on" });
  dev = stack.dev;
  await receiver.start();
  await gone.start();
  gone.mode = "gone";
  await disputes.start();
  await oldVersion.start();
  const registered = await endpoint(receiver.url, ["payment.authorized", "payment.captured", "refund.processed"]);
  endpointId = registered.id;
  receiver.secret = registered.secret;
  token = await tokenizeCard(dev, "4242424242424242");
}, 180_000);

afterAll(async () => {
  await receiver.stop();
  await gone.stop();
  await disputes.stop();
  await oldVersion.stop();
  await stack?.stop();
});

describe("webhooks end to end", () => {
  it("delivers authorized, captured and refund.processed, each verified, and nothing unsubscribed", async () => {
    const id = await pay("manual");
    expect((await apiCall(dev, "POST", `/v1/payments/${id}/capture`, { json: {} })).status).toBe(200);
    expect((await apiCall(dev, "POST", `/v1/payments/${id}/refund`, { json: { amount: 500 } })).status).toBe(200);

    const mine = () => receiver.deduplicated.filter((request) => JSON.stringify(about(request)).includes(id));
    const got = await eventually(mine, (requests) => requests.length >= 3);
    expect(got.map((request) => request.type).sort()).toEqual([
      "payment.authorized",
      "payment.captured",
      "refund.processed",
    ]);
    expect(receiver.requests.every((request) => request.verified)).toBe(true);
    expect(receiver.requests.map((request) => request.type)).not.toContain("payment.created");
    expect(receiver.requests.map((request) => request.type)).not.toContain("payment.partially_refunded");

    // The webhook-id is the event's id, and the body is the event as the API shows it.
    const captured = got.find((request) => request.type === "payment.captured")!;
    const event = await apiCall(dev, "GET", `/v1/events/${captured.id}`);
    expect(event.status).toBe(200);
    expect(JSON.parse(captured.body)).toEqual(event.json);
    expect(event.json.data.object).toMatchObject({ id, status: "captured", amount_captured: 2_000 });
  });

  it("renders each delivery in its endpoint's API version: an endpoint pinned to the old one gets customer_id", async () => {
    const pinned = await apiCall(dev, "POST", "/v1/webhook_endpoints", {
      json: { url: oldVersion.url, enabled_events: ["payment.captured"], api_version: "2026-11-01" },
    });
    expect(pinned.json.api_version).toBe("2026-11-01");
    secrets.push(pinned.json.secret);
    oldVersion.secret = pinned.json.secret;
    const created = await apiCall(dev, "POST", "/v1/payments", {
      json: { amount: 900, currency: "usd", payment_method: { type: "card", token }, customer: "cus_v" },
    });
    expect(created.json.customer).toBe("cus_v");
    const mine = (target: WebhookReceiver) => () =>
      target.deduplicated.filter(
        (request) => request.type === "payment.captured" && about(request).id === created.json.id,
      );
    const [old] = await eventually(mine(oldVersion), (requests) => requests.length >= 1);
    const [latest] = await eventually(mine(receiver), (requests) => requests.length >= 1);
    expect(old!.verified).toBe(true);
    expect(about(old!)).toMatchObject({ customer_id: "cus_v" });
    expect(about(old!)).not.toHaveProperty("customer");
    expect(about(latest!)).toMatchObject({ customer: "cus_v" });
    expect(about(latest!)).not.toHaveProperty("customer_id");
  });

  it("fails verification for a tampered body or a timestamp older than five minutes", () => {
    const sample = receiver.requests.find((request) => request.verified)!;
    const verifier = new Webhook(receiver.secret);
    expect(() => verifier.verify(sample.body, sample.headers)).not.toThrow();
    expect(() => verifier.verify(sample.body.replace('"amount":2000', '"amount":2001'), sample.headers)).toThrow();
    const old = new Date(Date.now() - 6 * 60 * 1000);
    const oldHeaders = {
      "webhook-id": sample.id,
      "webhook-timestamp": String(Math.floor(old.getTime() / 1000)),
      "webhook-signature": verifier.sign(sample.id, old, sample.body),
    };
    expect(() => verifier.verify(sample.body, oldHeaders)).toThrow(/too old/i);
  });

  it("gets every event through a receiver that is down, then failing, then back: once each after dedupe", async () => {
    await receiver.stop();
    const id = await pay("automatic");
    // Back only once an attempt has met the closed port, as the delivery log shows.
    await eventually(
      async () => {
        const deliveries = await apiCall(dev, "GET", `/v1/webhook_endpoints/${endpointId}/deliveries?limit=20`);
        const events = await apiCall(dev, "GET", "/v1/events?limit=20");
        const ofPayment = new Set(
          (events.json.data as { id: string; data: { object: { id: string } } }[])
            .filter((event) => event.data.object.id === id)
            .map((event) => event.id),
        );
        return (deliveries.json.data as { event: string; attempts: { error: string | null }[] }[]).filter(
          (delivery) => ofPayment.has(delivery.event) && delivery.attempts.some((attempt) => attempt.error),
        );
      },
      (refused) => refused.length > 0,
    );
    receiver.mode = "error";
    await receiver.start(); // same port
    await eventually(
      () => receiver.requests.filter((request) => request.verified && JSON.stringify(about(request)).includes(id)),
      (requests) => requests.length >= 1,
    );
    receiver.mode = "ok";
    const mine = () => receiver.deduplicated.filter((request) => JSON.stringify(about(request)).includes(id));
    const got = await eventually(
      async () => {
        const deliveries = await apiCall(dev, "GET", `/v1/webhook_endpoints/${endpointId}/deliveries?limit=20`);
        const forPayment = (deliveries.json.data as { event: string; status: string }[]).filter((delivery) =>
          mine().some((request) => request.id === delivery.event),
        );
        return { received: mine(), deliveries: deliveries.json.data as Record<string, any>[], forPayment };
      },
      ({ received, forPayment }) =>
        received.length === 2 &&
        forPayment.length === 2 &&
        forPayment.every((delivery) => delivery.status === "succeeded"),
    );
    expect(got.received.map((request) => request.type).sort()).toEqual(["payment.authorized", "payment.captured"]);

    // The delivery log matches what the receiver saw: refused connections and 500s (whichever
    // attempts met them), then one 200; every answered attempt is a request the receiver logged.
    const logged = got.received.map((request) => {
      const delivery = got.deliveries.find((candidate) => candidate.event === request.id)!;
      const attempts = delivery.attempts as { status_code: number | null; error: string | null }[];
      expect(attempts.at(-1)?.status_code).toBe(200);
      expect(attempts.filter((attempt) => attempt.status_code === 200)).toHaveLength(1);
      const answered = attempts.filter((attempt) => attempt.status_code !== null).length;
      expect(receiver.requests.filter((candidate) => candidate.id === request.id)).toHaveLength(answered);
      return attempts;
    });
    const all = logged.flat();
    expect(all.some((attempt) => attempt.status_code === null && attempt.error)).toBe(true);
    expect(all.some((attempt) => attempt.status_code === 500)).toBe(true);
  });

  it("disables an endpoint that answers 410, and sends it nothing more", async () => {
    const doomed = await endpoint(gone.url, ["payment.captured"]);
    gone.secret = doomed.secret;
    await pay("automatic");
    const disabled = await eventually(
      async () => (await apiCall(dev, "GET", `/v1/webhook_endpoints/${doomed.id}`)).json,
      (json) => json.status === "disabled",
    );
    expect(disabled.disabled_reason).toBe("gone");
    expect(gone.requests).toHaveLength(1);
    const later = await pay("automatic");
    // The other endpoint got this one; the disabled one did not.
    await eventually(
      () =>
        receiver.deduplicated.filter((request) => request.type === "payment.captured" && about(request).id === later),
      (requests) => requests.length === 1,
    );
    expect(gone.requests).toHaveLength(1);
  });

  it("turns a chargeback opened at the acquirer into a dispute the merchant hears of and answers", async () => {
    const hooks = await endpoint(disputes.url, ["dispute.created", "dispute.updated"]);
    disputes.secret = hooks.secret;
    const id = await pay("automatic", 3_333);
    const [row] = await eventually(
      () =>
        query<{ processor_reference: string | null }>(
          dev.database_url,
          "select processor_reference from payments where id = $1 and amount_captured > 0",
          [id],
        ),
      (rows) => Boolean(rows[0]?.processor_reference),
    );
    const rrn = row!.processor_reference!.split("-")[0];

    // Only the acquirer's signed advice counts: a forged one is refused by the connector service.
    const forged = await fetch(`${dev.vault}/network/v1/chargebacks`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Acquirer-Signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`,
      },
      body: JSON.stringify({
        type: "chargeback",
        chargeback_id: "CBFORGED",
        terminal: "GWVISA01",
        rrn,
        amount: 1,
        currency: "840",
        reason_code: "10.4",
        created: new Date().toISOString(),
      }),
    });
    expect(forged.status).toBe(401);

    const opened = await fetch(`${dev.acquirer_admin}/chargebacks`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ rrn, reason_code: "13.1" }),
    });
    expect(opened.status).toBe(201);
    const created = await eventually(
      () => disputes.deduplicated.filter((request) => request.type === "dispute.created"),
      (requests) => requests.length === 1,
    );
    const dispute = about(created[0]!) as unknown as Record<string, unknown>;
    expect(dispute).toMatchObject({
      object: "dispute",
      payment: id,
      amount: 3_333,
      currency: "usd",
      reason: "product_not_received",
      status: "needs_response",
    });
    expect(disputes.requests.every((request) => request.verified)).toBe(true);

    const listed = await apiCall(dev, "GET", "/v1/disputes");
    expect(listed.json.data.map((item: { id: string }) => item.id)).toContain(dispute.id);
    const answered = await apiCall(dev, "POST", `/v1/disputes/${dispute.id}/evidence`, {
      json: { text: "Delivered on 2026-11-20, signed for by the customer." },
    });
    expect(answered.json).toMatchObject({ status: "under_review", version: 2 });
    expect(answered.json.evidence.text).toContain("signed for");
    expect(
      (await apiCall(dev, "POST", `/v1/disputes/${dispute.id}/evidence`, { json: { text: "again" } })).status,
    ).toBe(409);
    await eventually(
      () => disputes.deduplicated.filter((request) => request.type === "dispute.updated"),
      (requests) => requests.length === 1,
    );
    const advices = await (await fetch(`${dev.acquirer_admin}/chargebacks`)).json();
    expect(advices.chargebacks[0].notification).toMatchObject({ status: "delivered", last_status: 200 });
  });

  it("leaves no webhook secret in the logs or in Postgres", async () => {
    const { dump, logs } = await stackWritings(dev, stack.dataDir);
    for (const secret of secrets) {
      expect(dump).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(findSecrets(dump)).toEqual([]);
    expect(findSecrets(logs)).toEqual([]);
  });
});
