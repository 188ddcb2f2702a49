import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../workers/audit/audit-entry.js";
import { call, newMerchant, opsToken } from "../edge/support/api.js";
import { afterNextAuditBatch, audited, auditTrail } from "../edge/support/audit.js";
import { sql } from "../edge/support/database.js";
import { deliver, transition } from "../edge/support/projection.js";

/**
 * Issue 12, item 9: what an attacker with a stolen key or ops credential would change leaves a
 * trace in the audit trail (R2, through the audit-log queue), naming the credential that did it.
 * Each test makes the attacker's change over HTTP and then finds it in the trail.
 */
const RECEIVER = "http://127.0.0.1:9/hooks"; // loopback receivers are allowed in this tier
const of = (action: string, target: string) => (entry: AuditEntry) =>
  entry.action === action && entry.target_id === target;

describe("the audit trail records what an attacker would change", () => {
  it("records a webhook endpoint's creation, redirection, secret rotation and deletion, never the secret", async () => {
    const { secretKey, secretKeyId, id: merchantId } = await newMerchant();
    const created = await call("POST", "/v1/webhook_endpoints", {
      key: secretKey,
      body: { url: RECEIVER, enabled_events: ["*"] },
    });
    expect(created.status).toBe(201);
    const endpoint = created.json.id as string;
    const redirected = await call("POST", `/v1/webhook_endpoints/${endpoint}`, {
      key: secretKey,
      body: { url: "http://127.0.0.1:9/attacker?token=abc", enabled_events: ["payment.captured"] },
    });
    expect(redirected.status).toBe(200);
    const rotated = await call("POST", `/v1/webhook_endpoints/${endpoint}/rotate_secret`, {
      key: secretKey,
      body: { expire_previous_in_seconds: 0 },
    });
    expect(rotated.status).toBe(200);
    expect((await call("DELETE", `/v1/webhook_endpoints/${endpoint}`, { key: secretKey })).status).toBe(200);

    const actor = { kind: "api_key", id: secretKeyId, merchant_id: merchantId };
    const [create] = await audited(of("webhook_endpoint.created", endpoint));
    expect(create).toMatchObject({ actor, details: { url: RECEIVER, enabled_events: "*" } });
    const [update] = await audited(of("webhook_endpoint.updated", endpoint));
    expect(update).toMatchObject({
      actor,
      details: { url: "http://127.0.0.1:9/attacker", enabled_events: "payment.captured" },
    });
    const [rotation] = await audited(of("webhook_endpoint.secret_rotated", endpoint));
    expect(rotation).toMatchObject({ actor, details: { expire_previous_in_seconds: 0 } });
    const [deletion] = await audited(of("webhook_endpoint.deleted", endpoint));
    expect(deletion).toMatchObject({ actor, request_id: expect.stringMatching(/^req_/) });

    const trail = JSON.stringify([create, update, rotation, deletion]);
    expect(trail).not.toContain("whsec_");
    expect(trail).not.toContain(created.json.secret as string);
    expect(trail).not.toContain(rotated.json.secret as string);
    expect(trail).not.toContain("token=abc");
  });

  it("records dispute evidence: who sent it, and a digest proving which text", async () => {
    const { id: merchantId, secretKey, secretKeyId } = await newMerchant();
    const pay = `pay_audited_${Date.now()}`;
    await deliver([transition(merchantId, pay, 3, "captured", "authorized")]);
    const dispute = `dp_audit${Date.now()}`;
    await sql(
      `insert into disputes (id, merchant_id, payment_id, livemode, processor, network_reference, amount, currency, reason)
       values ($1, $2, $3, false, 'visa', $4, 1000, 'USD', 'fraudulent')`,
      [dispute, merchantId, pay, `CB-${dispute}`],
    );
    const text = "We accept the chargeback.";
    const answered = await call("POST", `/v1/disputes/${dispute}/evidence`, { key: secretKey, body: { text } });
    expect(answered.status).toBe(200);

    const digest = Array.from(
      new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    const [entry] = await audited(of("dispute.evidence_submitted", dispute));
    expect(entry).toMatchObject({
      actor: { kind: "api_key", id: secretKeyId, merchant_id: merchantId },
      details: { payment_id: pay, evidence_sha256: digest, evidence_length: text.length },
    });
  });

  it("records an ops change of a merchant's rate limits with what it replaced", async () => {
    const { id: merchantId } = await newMerchant();
    const token = await opsToken();
    const raised = { limits: { writes: { limit: 100_000, window_seconds: 1 } } };
    const lowered = { limits: { writes: { limit: 10, window_seconds: 60 } } };
    for (const body of [raised, lowered]) {
      expect((await call("PUT", `/v1/merchants/${merchantId}/rate_limits`, { bearer: token, body })).status).toBe(200);
    }
    const entries = await audited(of("merchant.rate_limits_updated", merchantId), 2);
    expect(entries.map((entry) => entry.details)).toEqual([
      { limits: JSON.stringify(raised.limits), previous: "{}" },
      { limits: JSON.stringify(lowered.limits), previous: JSON.stringify(raised.limits) },
    ]);
    expect(entries[0]!.actor).toMatchObject({ kind: "ops_client", merchant_id: null });
  });

  it("records a key's first use from an address it has not been seen with, once per address", async () => {
    const { secretKey, secretKeyId, id: merchantId } = await newMerchant();
    const home = "198.51.100.23";
    const stranger = "2001:db8::bad";
    for (const ip of [home, home, home, stranger, stranger]) {
      const answer = await call("GET", "/v1/merchant", { key: secretKey, headers: { "CF-Connecting-IP": ip } });
      expect(answer.status).toBe(200);
    }
    const fromNew = (entry: AuditEntry) => entry.action === "api_key.new_ip" && entry.target_id === secretKeyId;
    const entries = await audited(fromNew, 2);
    await afterNextAuditBatch();
    expect((await auditTrail()).filter(fromNew)).toHaveLength(2);
    expect(entries.map((entry) => entry.details.ip).sort()).toEqual([home, stranger].sort());
    expect(entries[0]!.actor).toMatchObject({ kind: "api_key", id: secretKeyId, merchant_id: merchantId });
    expect(await sql("select ip from api_key_ips where key_id = $1 order by ip", [secretKeyId])).toEqual(
      [{ ip: home }, { ip: stranger }].sort((a, b) => a.ip.localeCompare(b.ip)),
    );
  });
});
