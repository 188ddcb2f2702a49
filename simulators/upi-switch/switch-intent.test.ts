import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upiPayUrl } from "../../common/upi/upi-intent-url.js";
import type { UpiMessage } from "../../common/upi/upi-messages.js";
import { UpiSwitchKit, until } from "./test-kit.js";

/** Intent payments and manual collects, approved or declined on the payer page with plain form posts. */
let kit: UpiSwitchKit;
beforeAll(async () => {
  kit = await UpiSwitchKit.start();
});
afterAll(async () => {
  await kit?.stop();
});

type ReqPay = Extract<UpiMessage, { api: "ReqPay" }>;

const linkFor = (request: ReqPay) =>
  upiPayUrl({
    pa: request.payee.addr,
    pn: request.payee.name ?? "",
    tr: request.txn.id,
    amountPaise: request.payee.amountPaise ?? 0,
    ...(request.txn.note ? { tn: request.txn.note } : {}),
  });

async function openPayerPage(link: string) {
  const response = await fetch(`${kit.sim.url}/payer?upi=${encodeURIComponent(link)}`);
  return { status: response.status, html: await response.text() };
}

async function press(button: "approve" | "decline", form: Record<string, string>) {
  const response = await fetch(`${kit.sim.url}/payer/${button}`, { method: "POST", body: new URLSearchParams(form) });
  return { status: response.status, html: await response.text() };
}

async function finalResult(txnId: string) {
  const [callback] = await until(
    () => kit.callbacksFor(txnId),
    (found) => found.length > 0,
  );
  return callback?.message && "resp" in callback.message ? callback.message.resp : undefined;
}

describe("an intent payment", () => {
  it("waits for the payer, shows payee, amount and note, and succeeds when approved as success@upi", async () => {
    const request = kit.intent(12_345, "Two chai <and> a samosa");
    expect((await kit.send(request)).message).toMatchObject({ api: "Ack" });
    expect(await kit.admin(`/transactions/${request.txn.id}`)).toMatchObject({
      state: "AWAITING_PAYER",
      payer: null,
      flow: "intent",
    });

    const page = await openPayerPage(linkFor(request));
    expect(page.status).toBe(200);
    expect(page.html).toContain("Chai Co");
    expect(page.html).toContain("shop@gwy");
    expect(page.html).toContain("₹123.45");
    expect(page.html).toContain("Two chai &lt;and&gt; a samosa");
    expect(page.html).toMatch(/id="payer-vpa" name="vpa" value="success@upi"/);
    expect(page.html).toContain('id="approve"');
    expect(page.html).toContain('id="decline"');

    const approved = await press("approve", { txn: request.txn.id, vpa: "success@upi" });
    expect(approved.status).toBe(200);
    expect(approved.html).toContain("Payment approved");
    expect(await finalResult(request.txn.id)).toMatchObject({
      result: "SUCCESS",
      refs: [{ type: "PAYER", addr: "success@upi" }, { type: "PAYEE" }],
    });
    expect((await kit.admin(`/transactions/${request.txn.id}`)).payer).toBe("success@upi");
    // Pressed again, the page says it is over and nothing changes.
    expect((await press("approve", { txn: request.txn.id, vpa: "success@upi" })).status).toBe(409);
    expect((await openPayerPage(linkFor(request))).status).toBe(409);
  });

  it("fails with ZA when the payer declines", async () => {
    const request = kit.intent(500);
    await kit.send(request);
    expect((await press("approve", { txn: request.txn.id })).status).toBe(400);
    // The decline form carries no VPA: the payer never said who they are.
    const declined = await press("decline", { txn: request.txn.id });
    expect(declined.html).toContain("Payment declined");
    expect(await finalResult(request.txn.id)).toMatchObject({ result: "FAILURE", errCode: "ZA", refs: [] });
  });

  it("runs the chosen payer VPA's behaviour: funds@upi fails with Z9 and the page says why", async () => {
    const request = kit.intent(700);
    await kit.send(request);
    const failed = await press("approve", { txn: request.txn.id, vpa: "funds@upi" });
    expect(failed.html).toContain("Payment failed: insufficient funds (Z9)");
    expect(await finalResult(request.txn.id)).toMatchObject({ result: "FAILURE", errCode: "Z9" });
  });

  it("refuses a link that is not the one registered, and a payer VPA that is not one", async () => {
    const request = kit.intent(900);
    await kit.send(request);
    const link = linkFor(request);
    expect((await openPayerPage(link.replace("am=9.00", "am=1.00"))).status).toBe(404);
    expect((await openPayerPage(link.replace("shop%40gwy", "evil%40gwy"))).status).toBe(404);
    expect((await openPayerPage("upi://pay?pa=nope")).status).toBe(400);
    expect((await press("approve", { txn: request.txn.id, vpa: "not a vpa" })).status).toBe(400);
  });

  it("is set to lapse at its expireAfter minutes, or after the 10-minute default", async () => {
    const timed = kit.intent(100);
    timed.txn.expireAfter = 2;
    const sent = Date.now();
    await kit.send(timed);
    const untimed = kit.intent(100);
    await kit.send(untimed);
    const lapse = async (id: string) => Date.parse((await kit.admin(`/transactions/${id}`)).expires_at) - sent;
    expect(await lapse(timed.txn.id)).toBeGreaterThanOrEqual(120_000 - 50);
    expect(await lapse(timed.txn.id)).toBeLessThan(121_000);
    expect(await lapse(untimed.txn.id)).toBeGreaterThanOrEqual(600_000 - 50);
  });
});

describe("a collect to manual@upi", () => {
  it("is listed on the payer's collect page and succeeds when approved there", async () => {
    const request = kit.collect("manual@upi", 4_000);
    await kit.send(request);
    const inbox = await fetch(`${kit.sim.url}/payer/collect?vpa=manual@upi&txn=${request.txn.id}`);
    const html = await inbox.text();
    expect(html).toContain(request.txn.id);
    expect(html).toContain('id="approve"');
    expect(html).not.toContain('id="payer-vpa"');
    const approved = await press("approve", { txn: request.txn.id, vpa: "manual@upi" });
    expect(approved.html).toContain("Payment approved");
    expect(await finalResult(request.txn.id)).toMatchObject({ result: "SUCCESS" });
    const after = await (await fetch(`${kit.sim.url}/payer/collect?vpa=manual@upi&txn=${request.txn.id}`)).text();
    expect(after).toContain("No requests waiting.");
  });

  it("suffixes the buttons' ids when several collects wait", async () => {
    const first = kit.collect("manual@upi", 100);
    const second = kit.collect("manual@upi", 200);
    await kit.send(first);
    await kit.send(second);
    const html = await (await fetch(`${kit.sim.url}/payer/collect?vpa=manual@upi`)).text();
    expect(html).toContain(`id="approve-${first.txn.id}"`);
    expect(html).toContain(`id="decline-${second.txn.id}"`);
    expect((await press("decline", { txn: second.txn.id })).html).toContain("Payment declined");
    expect(await finalResult(second.txn.id)).toMatchObject({ result: "FAILURE", errCode: "ZA" });
  });
});
