import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const run = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/wrangler.ts", ...args], {
    encoding: "utf8",
    timeout: 120_000,
  });

describe("wrangler config", () => {
  it("has its generated types committed and current (`npm run types` regenerates them)", () => {
    const result = run("types", "--check", "--strict-vars=false");
    expect(result.stdout + result.stderr).not.toMatch(/out of date/i);
    expect(result.status).toBe(0);
  });
});
