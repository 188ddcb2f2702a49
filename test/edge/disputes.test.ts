import { describe, expect, it } from "vitest";
import { call, expectError, newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";
import { deliver, transition } from "./support/projection.js";

describe("disputes", () => {
  it("are recorded only from the vault: the network route refuses a request without its service token", async () => {
    const chargeback = {
      processor: "visa",
      livemode: false,
      network_reference: "CB1",
      rrn: "512345000001",
      amount: 100,
      currency: "USD",
      reason: "fraudulent",
    };
    expectError(await call("POST", "/internal/v1/disputes", { body: chargeback }), 401, "authentication_error");
    expectError(
      await call("POST", "/internal/v1/disputes", { bearer: "eyJhbGciOiJFUzI1NiJ9.e30.c2ln", body: chargeback }),
      401,
      "authentication_error",
    );
    expect(await sql("select 1 from disputes where network_reference = 'CB1'")).toEqual([]);
  });

  it("are read and answered by their merchant only, once", async () => {
    const owner = await newMerchant();
    const other = await newMerchant();
    const pay = `pay_dispute_${Date.now()}`;
    await deliver([transition(owner.id, pay, 3, "captured", "authorized")]);
    const id = `dp_test${Date.now()}`;
    await sql(
      `insert into disputes (id, merchant_id, payment_id, livemode, processor, network_reference, amount, currency, reason)
       values ($1, $2, $3, false, 'visa', $4, 1000, 'USD', 'fraudulent')`,
      [id, owner.id, pay, `CB-${id}`],
    );
    for (const [method, path, body] of [
      ["GET", `/v1/disputes/${id}`, undefined],
      ["POST", `/v1/disputes/${id}/evidence`, { text: "receipt" }],
    ] as const) {
      expectError(await call(method, path, { key: other.secretKey, body }), 404, "invalid_request_error", "id");
    }
    expect((await call("GET", "/v1/disputes", { key: other.secretKey })).json.data).toEqual([]);

    const read = await call("GET", `/v1/disputes/${id}`, { key: owner.secretKey });
    expect(read.json).toMatchObject({
      object: "dispute",
      payment: pay,
      amount: 1000,
      status: "needs_response",
      evidence: null,
    });
    expectError(
      await call("POST", `/v1/disputes/${id}/evidence`, { key: owner.secretKey, body: { text: "" } }),
      400,
      "invalid_request_error",
      "text",
    );
    const answered = await call("POST", `/v1/disputes/${id}/evidence`, {
      key: owner.secretKey,
      body: { text: "receipt #42" },
    });
    expect(answered.json).toMatchObject({ status: "under_review", version: 2, evidence: { text: "receipt #42" } });
    expectError(
      await call("POST", `/v1/disputes/${id}/evidence`, { key: owner.secretKey, body: { text: "more" } }),
      409,
      "invalid_request_error",
    );
    const events = await sql<{ type: string }>("select type from events where object_id = $1", [id]);
    expect(events.map((event) => event.type)).toEqual(["dispute.updated"]);
  });
});
