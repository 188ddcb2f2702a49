import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { encodeUpi } from "../../common/upi/upi-messages.js";
import { importUpiSigningKey, signUpiXml } from "../../common/upi/upi-signature.js";
import { rsaKeyPair, UpiSwitchKit, until } from "./test-kit.js";

/** What the switch refuses on the wire, and the faults the admin API switches on. */
let kit: UpiSwitchKit;
beforeAll(async () => {
  kit = await UpiSwitchKit.start();
});
afterAll(async () => {
  await kit?.stop();
});
afterEach(async () => {
  await setFault({ mode: "none", apis: ["ReqPay"] });
});

const setFault = (body: object) =>
  kit.admin("/faults", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("requests the switch refuses", () => {
  it("answers 401 with a signed Ack err U15 when the signature is missing, wrong or by another key", async () => {
    const request = kit.collect("success@upi", 100);
    const stranger = await importUpiSigningKey(rsaKeyPair("gwy-test").signing);
    const signed = await signUpiXml(encodeUpi(request), kit.psp);
    for (const body of [
      encodeUpi(request),
      signed.replace('value="1.00"', 'value="9.00"'),
      await signUpiXml(encodeUpi(request), stranger),
    ]) {
      const answer = await kit.send(request, { raw: body });
      expect(answer.status).toBe(401);
      expect(answer.message).toMatchObject({ api: "Ack", ackApi: "ReqPay", reqMsgId: "", err: "U15" });
    }
    expect((await kit.admin(`/transactions/${request.txn.id}`)).error).toBe("no such transaction");
  });

  it("answers 400 U05 to a signed message that is malformed, and U12 to a currency other than INR", async () => {
    const request = kit.collect("success@upi", 100);
    const malformed = await signUpiXml(
      '<upi:ReqPay xmlns:upi="http://npci.org/upi/schema/"><Head/></upi:ReqPay>',
      kit.psp,
    );
    expect(await kit.send(request, { raw: malformed })).toMatchObject({ status: 400, message: { err: "U05" } });
    const dollars = await signUpiXml(encodeUpi(request).replaceAll('curr="INR"', 'curr="USD"'), kit.psp);
    expect(await kit.send(request, { raw: dollars })).toMatchObject({ status: 400, message: { err: "U12" } });
  });

  it("answers U06 when the URL names another txn than the message", async () => {
    const request = kit.collect("success@upi", 100);
    const response = await fetch(`${kit.sim.url}/upi/ReqPay/2.0/urn:txnid:GWY${"9".repeat(32)}`, {
      method: "POST",
      body: await signUpiXml(encodeUpi(request), kit.psp),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('err="U06"');
  });

  it("refuses a duplicate txn id (U01), an amount over the cap (U02), a stale request (U07), a PAY that is no intent (U10)", async () => {
    const request = kit.collect("success@upi", 100);
    expect((await kit.send(request)).message).not.toHaveProperty("err");
    expect((await kit.send({ ...request, head: kit.head() })).message).toMatchObject({ err: "U01" });
    expect((await kit.send(kit.collect("success@upi", 10_000_001))).message).toMatchObject({ err: "U02" });
    const stale = kit.collect("success@upi", 100);
    stale.head = kit.head(new Date(Date.now() - 61_000));
    expect(await kit.send(stale)).toMatchObject({ status: 200, message: { err: "U07" } });
    expect((await kit.admin(`/transactions/${stale.txn.id}`)).error).toBe("no such transaction");
    const direct = kit.intent(100);
    direct.payer = { addr: "success@upi", amountPaise: 100 };
    expect((await kit.send(direct)).message).toMatchObject({ err: "U10" });
  });

  it("answers 404 off the UPI paths and 413 to a body over the limit", async () => {
    expect((await fetch(`${kit.sim.url}/upi/ReqEvil/2.0/urn:txnid:x`, { method: "POST" })).status).toBe(404);
    const huge = await fetch(`${kit.sim.url}/upi/ReqPay/2.0/urn:txnid:GWY${"1".repeat(32)}`, {
      method: "POST",
      body: "x".repeat(80_000),
    });
    expect(huge.status).toBe(413);
  });
});

describe("faults", () => {
  it("refuse: connections are refused until the fault is cleared, then the same port answers", async () => {
    await setFault({ mode: "refuse" });
    await expect(kit.send(kit.valAdd("success@upi"))).rejects.toThrow();
    await setFault({ mode: "none" });
    expect((await kit.send(kit.valAdd("success@upi"))).status).toBe(200);
  });

  it("never_answer: the ReqPay is booked and goes on, but no answer comes; status checks still answer", async () => {
    await setFault({ mode: "never_answer" });
    const request = kit.collect("success@upi", 100);
    await expect(kit.send(request, { signal: AbortSignal.timeout(400) })).rejects.toThrow();
    const [callback] = await until(
      () => kit.callbacksFor(request.txn.id),
      (found) => found.length > 0,
    );
    expect(callback?.message && "resp" in callback.message && callback.message.resp.result).toBe("SUCCESS");
    expect((await kit.send(kit.chkTxn(request.txn.id))).status).toBe(200);
  });

  it("slow: the answer is held slow_ms", async () => {
    await setFault({ mode: "slow", slow_ms: 300 });
    const started = Date.now();
    expect((await kit.send(kit.collect("success@upi", 100))).message).toMatchObject({ api: "Ack" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("garbled: 200 with bytes that are not XML, for the APIs named (all here)", async () => {
    expect(await setFault({ mode: "garbled", apis: "all" })).toMatchObject({
      apis: ["ReqPay", "ReqChkTxn", "ReqValAdd"],
    });
    const answer = await kit.send(kit.valAdd("success@upi"));
    expect(answer.status).toBe(200);
    expect(answer.message).toBeNull();
    expect(answer.text).toContain("GARBLED");
  });

  it("refuses a fault it does not know", async () => {
    const response = await fetch(`${kit.sim.adminUrl}/faults`, {
      method: "PUT",
      body: JSON.stringify({ mode: "explode" }),
    });
    expect(response.status).toBe(400);
  });
});
