import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

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
