import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type AuditBucketRules,
  auditLock,
  boundBuckets,
  readAuditBucketRules,
  retentionProblems,
  SEVEN_YEARS_DAYS,
} from "./retention.js";
import { PROJECT_ROOT } from "./start-config.js";

const toml = readFileSync(join(PROJECT_ROOT, "wrangler.toml"), "utf8");
const buckets = boundBuckets(toml, "AUDIT_BUCKET");
const committed = readAuditBucketRules(PROJECT_ROOT);

function withLock(rules: AuditBucketRules["lock"]["rules"]): AuditBucketRules {
  return { ...committed, lock: { rules } };
}

describe("the audit bucket's retention, as deploy configuration", () => {
  it("finds each environment's audit bucket in wrangler.toml", () => {
    expect(buckets).toEqual(
      new Map([
        ["", "gateway-audit-dev"],
        ["staging", "gateway-audit-staging"],
        ["production", "gateway-audit"],
      ]),
    );
  });

  it("holds for the committed rules: every audit object locked seven years, with its leap days", () => {
    expect(SEVEN_YEARS_DAYS).toBe(2557);
    expect(retentionProblems(committed, buckets)).toEqual([]);
    expect(auditLock(committed)).toMatchObject({ days: 2557, rule: { prefix: "audit/" } });
  });

  it("fails when the lock is missing, shorter, disabled, on a narrower prefix, or lapses on a date", () => {
    const age = (days: number) => ({ type: "Age", maxAgeSeconds: days * 86_400 });
    expect(retentionProblems(withLock([]), buckets)).toEqual([expect.stringMatching(/no enabled bucket lock rule/)]);
    expect(
      retentionProblems(withLock([{ id: "short", enabled: true, prefix: "audit/", condition: age(2556) }]), buckets),
    ).toEqual([expect.stringMatching(/'short' keeps 'audit\/' 2556 days, fewer than seven years/)]);
    for (const rule of [
      { enabled: false, prefix: "audit/", condition: age(3000) },
      { enabled: true, prefix: "audit/chain/", condition: age(3000) },
      { enabled: true, prefix: "audit/", condition: { type: "Date", date: "2040-01-01T00:00:00Z" } },
    ]) {
      expect(retentionProblems(withLock([rule]), buckets)).toHaveLength(1);
    }
    expect(retentionProblems(withLock([{ enabled: true, condition: { type: "Indefinite" } }]), buckets)).toEqual([]);
  });

  it("fails when a lifecycle rule would delete audit objects sooner, or an environment binds no audit bucket", () => {
    const expiring: AuditBucketRules = {
      ...committed,
      lifecycle: {
        rules: [
          {
            id: "cleanup",
            enabled: true,
            conditions: { prefix: "" },
            deleteObjectsTransition: { condition: { type: "Age", maxAge: 90 * 86_400 } },
          },
        ],
      },
    };
    expect(retentionProblems(expiring, buckets)).toEqual([
      expect.stringMatching(/'cleanup' would delete audit objects/),
    ]);
    const noStaging = new Map(buckets);
    noStaging.delete("staging");
    expect(retentionProblems(committed, noStaging)).toEqual([expect.stringMatching(/staging binds no AUDIT_BUCKET/)]);
  });
});
