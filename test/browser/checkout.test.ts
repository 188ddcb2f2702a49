import { once } from "node:events";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMerchantSite } from "../../demo/merchant-site.js";
import { freePort } from "../../scripts/lib/free-port.js";
import { CHROMIUM, hasChromium, warnWithoutChromium } from "../support/chromium.js";
import { startVaultHarness, type TestMerchant, type VaultHarness } from "../support/vault-harness.js";

/**
 * Browser tokenization in Debian's Chromium: the demo checkout on the merchant's origin loads
 * pay.js from the vault's origin (another port, so another origin), the card is typed into the
 * vault's iframe, and the merchant's page and server get the token and nothing else. That is
 * what keeps a pay.js merchant in PCI DSS SAQ A scope: no cardholder data reaches its origin.
 */
warnWithoutChromium("the browser tokenization tests");

const PAN = "4242424242424242";
const PAN_SPACED = "4242 4242 4242 4242";
/** Every way the card number could travel in a URL or a body. */
const PAN_FORMS = [PAN, PAN_SPACED, encodeURIComponent(PAN_SPACED), PAN_SPACED.replaceAll(" ", "+")];
const CVC = "123";
const EXP_YEAR = new Date().getFullYear() + 3;
const EXPIRY = `12/${String(EXP_YEAR % 100).padStart(2, "0")}`;

type HttpServer = ReturnType<typeof serve>;

async function listening(server: HttpServer): Promise<HttpServer> {
  if (!server.listening) await once(server, "listening");
  return server;
}

function close(server: HttpServer | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

/** The value of one CSP directive (`frame-ancestors`), or undefined. */
function cspDirective(policy: string | undefined, name: string): string | undefined {
  const found = policy
    ?.split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name} `));
  return found?.slice(name.length + 1);
}

const isCardFrame = (vaultOrigin: string) => (response: { url(): string }) =>
  response.url().startsWith(`${vaultOrigin}/elements/card?`);

describe.skipIf(!hasChromium)("browser tokenization with pay.js", () => {
  let vault: VaultHarness;
  let shop: TestMerchant;
  let browser: Browser;
  const servers: HttpServer[] = [];
  let vaultOrigin: string;
  let merchantOrigin: string;
  let strangerOrigin: string;

  /** The demo checkout on `port`, with `publishableKey`, listening before the next port is chosen. */
  async function startSite(port: number, publishableKey: string): Promise<string> {
    const options = { vaultUrl: vaultOrigin, publishableKey, apiUrl: "http://127.0.0.1:8787" };
    servers.push(await listening(startMerchantSite(port, options)));
    return `http://127.0.0.1:${port}`;
  }

  beforeAll(async () => {
    vault = await startVaultHarness({ browser: true });
    const vaultPort = await freePort();
    servers.push(await listening(serve({ fetch: vault.app.fetch, hostname: "127.0.0.1", port: vaultPort })));
    vaultOrigin = `http://127.0.0.1:${vaultPort}`;

    const merchantPort = await freePort();
    merchantOrigin = `http://127.0.0.1:${merchantPort}`;
    shop = await vault.createMerchant([merchantOrigin]);
    await startSite(merchantPort, shop.publishableKey);
    // The same checkout, with the same key, on an origin the merchant never registered.
    strangerOrigin = await startSite(await freePort(), shop.publishableKey);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Root in a container needs --no-sandbox; the rest keeps Chromium off the (closed) internet.
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close(); // and every context the tests opened
    await Promise.all(servers.map(close));
    await vault?.stop();
  });

  it("tokenizes a card typed into the vault's iframe; the merchant's origin gets only the token id", async () => {
    const context = await browser.newContext();
    const requests: Request[] = [];
    context.on("request", (request) => requests.push(request));
    const page = await context.newPage();

    const frameResponse = page.waitForResponse(isCardFrame(vaultOrigin));
    await page.goto(`${merchantOrigin}/`);
    const frame = await frameResponse;
    expect(frame.status()).toBe(200);
    // Only the registered origin may embed the card fields (clickjacking).
    expect(cspDirective(frame.headers()["content-security-policy"], "frame-ancestors")).toBe(merchantOrigin);

    const fields = page.frameLocator('iframe[name="gateway-card"]');
    await fields.locator("#number").fill(PAN_SPACED);
    await fields.locator("#exp").fill(EXPIRY);
    await fields.locator("#cvc").fill(CVC);
    await page.locator("#pay").click();
    await page.waitForFunction(() => !document.getElementById("result")?.textContent?.startsWith("Test card:"));
    const shown = (await page.locator("#result").textContent()) ?? "";
    expect(shown, "the checkout page shows the token, not a refusal").toMatch(/^\{/);
    const token = JSON.parse(shown);
    expect(token).toMatchObject({
      object: "token",
      card: { last4: "4242", brand: "visa", exp_month: 12, exp_year: EXP_YEAR },
    });
    expect(token.id).toMatch(/^tok_[0-9A-Za-z]{24}$/);

    // The browser talked to these two origins only, and the card went to the vault alone.
    expect(new Set(requests.map((request) => new URL(request.url()).origin))).toEqual(
      new Set([merchantOrigin, vaultOrigin]),
    );
    const toMerchant = requests.filter((request) => new URL(request.url()).origin === merchantOrigin);
    for (const request of toMerchant) {
      const sent = [request.url(), request.postData() ?? "", JSON.stringify(request.headers())].join("\n");
      for (const form of PAN_FORMS) expect(sent).not.toContain(form);
      expect(sent.toLowerCase()).not.toContain("cvc");
    }
    const posts = toMerchant.filter((request) => request.method() === "POST");
    expect(posts.map((request) => [new URL(request.url()).pathname, request.postDataJSON()])).toEqual([
      ["/checkout", { token: token.id }],
    ]);

    const carriers = requests.filter((request) =>
      PAN_FORMS.some((form) => request.url().includes(form) || (request.postData() ?? "").includes(form)),
    );
    expect(carriers.map((request) => [request.method(), request.url(), request.frame().name()])).toEqual([
      ["POST", `${vaultOrigin}/v1/tokens`, "gateway-card"],
    ]);
    expect(carriers[0]!.postDataJSON()).toMatchObject({ card: { number: PAN, cvc: CVC } });

    const received = (await (await fetch(`${merchantOrigin}/received`)).json()) as unknown[];
    expect(received).toEqual([{ token: token.id, at: expect.any(String) }]);
  });

  it("refuses the card fields to a page on an origin the merchant did not register", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const frameResponse = page.waitForResponse(isCardFrame(vaultOrigin));
    await page.goto(`${strangerOrigin}/`);
    const frame = await frameResponse;
    expect(new URL(frame.url()).searchParams.get("origin")).toBe(strangerOrigin);
    expect(frame.status()).toBe(403);
    expect(cspDirective(frame.headers()["content-security-policy"], "frame-ancestors")).toBe("'none'");
    // `goto` waited for the page's load event, which waits for its frames.
    await expect(page.frameLocator('iframe[name="gateway-card"]').locator("#number").count()).resolves.toBe(0);

    // Lying about the origin gets the frame served, but the browser will not render it here.
    const spoofed = `${vaultOrigin}/elements/card?key=${shop.publishableKey}&origin=${encodeURIComponent(merchantOrigin)}`;
    const spoofedResponse = page.waitForResponse((response) => response.url() === spoofed);
    await page.evaluate(
      (src) =>
        new Promise((resolve) => {
          const iframe = document.createElement("iframe");
          iframe.name = "spoofed";
          iframe.src = src;
          iframe.addEventListener("load", resolve);
          document.body.append(iframe);
        }),
      spoofed,
    );
    const response = await spoofedResponse;
    expect(response.status()).toBe(200);
    expect(cspDirective(response.headers()["content-security-policy"], "frame-ancestors")).toBe(merchantOrigin);
    await expect(page.frameLocator('iframe[name="spoofed"]').locator("#number").count()).resolves.toBe(0);
  });
});
