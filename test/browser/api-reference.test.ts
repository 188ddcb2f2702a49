import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, warnWithoutChromium } from "../support/chromium.js";
import { type DevJson, startStack } from "../support/running-stack.js";

/**
 * `/docs` in Debian's Chromium, served by the stack `npm start` boots: the page renders under
 * its strict CSP (the console script runs only because its hash is allowed), and the "Try it"
 * console calls the API with a key typed into the page.
 */
warnWithoutChromium("the API reference browser test");

describe.skipIf(!hasChromium)("the API reference in a browser", () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let dev: DevJson;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack();
    dev = stack.dev;
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("renders every section, breaks no CSP rule, and its console calls the API with the typed key", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    const response = await page.goto(`${dev.api}/docs`);
    expect(response?.status()).toBe(200);
    expect(await page.locator("section.op h3").count()).toBeGreaterThan(40);
    await expect.poll(() => page.locator("nav a").count()).toBeGreaterThan(30);

    await page.fill("#api-key", dev.secret_key);
    const section = page.locator("#retrieveOwnMerchant");
    await section.locator("summary").click();
    await section.locator("button[type=submit]").click();
    const output = section.locator("output");
    await expect.poll(() => output.getAttribute("data-status"), { timeout: 15_000 }).toBe("200");
    expect(await output.textContent()).toContain(dev.merchant_id);

    // A pinned version travels as Api-Version: the old one is refused nowhere, an answer comes back.
    await page.selectOption("#api-version", "2026-11-01");
    const list = page.locator("#listPayments");
    await list.locator("summary").click();
    await list.locator("button[type=submit]").click();
    await expect.poll(() => list.locator("output").getAttribute("data-status"), { timeout: 15_000 }).toBe("200");

    expect(problems).toEqual([]);
  });
});
