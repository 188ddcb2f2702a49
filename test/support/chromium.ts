import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's Chromium, which the browser tier drives (`npm test` installs it when apt can). */
export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

/** Says loudly that a file's browser tests are skipped, and how to get them back. */
export function warnWithoutChromium(what: string): void {
  if (!hasChromium) console.warn(`\n!!! SKIPPING ${what}: ${CHROMIUM} is missing (apt-get install -y chromium).\n`);
}

/** Headless Chromium as every browser test launches it (no sandbox: the tier may run as root). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}

/**
 * Does `action` and waits for the page to land on a URL `arrived` accepts. A page that stays put
 * fails with what it shows in `#status` (a decline, "being confirmed", a lost request), so a slow
 * or refused payment on a loaded machine says which it was instead of only "timeout".
 */
export async function landsOn(
  page: Page,
  arrived: (url: URL) => boolean,
  action: () => Promise<unknown>,
  timeoutMs = 30_000,
): Promise<void> {
  try {
    await Promise.all([page.waitForURL(arrived, { timeout: timeoutMs }), action()]);
  } catch (error) {
    const shown = await page
      .locator("#status")
      .textContent({ timeout: 1_000 })
      .catch(() => null);
    throw new Error(`still on ${page.url()} showing ${JSON.stringify(shown)}: ${String(error)}`);
  }
}
