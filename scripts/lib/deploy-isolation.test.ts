import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { boundResources, productionOverlap, workerNames } from "./deploy-isolation.js";
import { PROJECT_ROOT } from "./start-config.js";

describe("deploy isolation (issue 12, item 10)", () => {
  it("gives the default and staging environments Worker names of their own", () => {
    const names = workerNames(readFileSync(join(PROJECT_ROOT, "wrangler.toml"), "utf8"));
    expect(names.get("production")).toBe("gateway-api");
    expect(names.get("")).not.toBe(names.get("production"));
    expect(names.get("staging")).not.toBe(names.get("production"));
  });

  it("names every way an environment could touch production", () => {
    const names = new Map([
      ["", "gateway-api"],
      ["production", "gateway-api"],
    ]);
    const output =
      'env.AUDIT_LOG (audit-log)    Queue\nenv.AUDIT_BUCKET (gateway-audit)    R2 Bucket\nenv.X ("1")  Environment Variable';
    const resources = new Map([
      ["", boundResources(output)],
      ["production", new Set(["audit-log", "gateway-audit"])],
    ]);
    expect(boundResources(output)).toEqual(new Set(["audit-log", "gateway-audit"]));
    expect(productionOverlap("", names, resources)).toEqual([
      "default deploys the production Worker name 'gateway-api'",
      "default binds production's 'audit-log'",
      "default binds production's 'gateway-audit'",
    ]);
  });
});
