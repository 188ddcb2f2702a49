/**
 * Issue 16 item 5: the audit bucket's seven-year retention is deploy configuration, not a README
 * sentence. `deploy/audit-bucket.json` holds the bucket lock (R2 bucket locks refuse to delete or
 * overwrite an object younger than the rule's age, whoever asks) and the lifecycle;
 * `npm run deploy:audit-bucket` applies them to each environment's AUDIT_BUCKET and
 * `npm run deploy:check` fails when they would not keep the audit trail seven years.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Seven years in days with their leap days: any seven consecutive years hold at most two 29 Februaries. */
export const SEVEN_YEARS_DAYS = 7 * 365 + 2;
const DAY_SECONDS = 86_400;
/** Everything the audit trail writes lives under it (the chain under `audit/chain/`). */
export const AUDIT_PREFIX = "audit/";

export interface LockRule {
  id?: string;
  enabled?: boolean;
  prefix?: string;
  condition?: { type?: string; maxAgeSeconds?: number; date?: string };
}

export interface LifecycleRule {
  id?: string;
  enabled?: boolean;
  conditions?: { prefix?: string };
  deleteObjectsTransition?: { condition?: { type?: string; maxAge?: number; date?: string } };
}

export interface AuditBucketRules {
  binding: string;
  lock: { rules: LockRule[] };
  lifecycle: { rules: LifecycleRule[] };
}

export const AUDIT_BUCKET_RULES_FILE = join("deploy", "audit-bucket.json");

export function readAuditBucketRules(root: string): AuditBucketRules {
  return JSON.parse(readFileSync(join(root, AUDIT_BUCKET_RULES_FILE), "utf8")) as AuditBucketRules;
}

/** Days a lock rule keeps what it covers (Infinity when indefinite), or null for a rule that lapses on a date. */
function lockDays(rule: LockRule): number | null {
  if (rule.condition?.type === "Indefinite") return Number.POSITIVE_INFINITY;
  if (rule.condition?.type === "Age" && typeof rule.condition.maxAgeSeconds === "number") {
    return rule.condition.maxAgeSeconds / DAY_SECONDS;
  }
  return null;
}

/** The enabled lock rule that keeps the whole audit prefix longest, and for how many days. */
export function auditLock(rules: AuditBucketRules): { rule: LockRule; days: number } | null {
  let best: { rule: LockRule; days: number } | null = null;
  for (const rule of rules.lock?.rules ?? []) {
    // A rule without a prefix covers the whole bucket; one with a longer prefix leaves part of audit/ unlocked.
    if (rule.enabled !== true || !AUDIT_PREFIX.startsWith(rule.prefix ?? "")) continue;
    const days = lockDays(rule);
    if (days !== null && (!best || days > best.days)) best = { rule, days };
  }
  return best;
}

/** Everything that keeps the rules from holding the audit trail seven years; empty when they do. */
export function retentionProblems(rules: AuditBucketRules, auditBuckets: Map<string, string>): string[] {
  const problems: string[] = [];
  if (!Array.isArray(rules.lock?.rules)) problems.push(`${AUDIT_BUCKET_RULES_FILE} has no lock.rules array`);
  if (!Array.isArray(rules.lifecycle?.rules)) problems.push(`${AUDIT_BUCKET_RULES_FILE} has no lifecycle.rules array`);
  const lock = auditLock(rules);
  if (!lock) {
    problems.push(`no enabled bucket lock rule keeps every object under '${AUDIT_PREFIX}' (an Age or Indefinite lock)`);
  } else if (lock.days < SEVEN_YEARS_DAYS) {
    problems.push(
      `bucket lock '${lock.rule.id ?? "?"}' keeps '${AUDIT_PREFIX}' ${lock.days} days, fewer than seven years (${SEVEN_YEARS_DAYS})`,
    );
  }
  for (const rule of rules.lifecycle?.rules ?? []) {
    const prefix = rule.conditions?.prefix ?? "";
    const condition = rule.deleteObjectsTransition?.condition;
    if (rule.enabled === false || !condition) continue;
    if (!(AUDIT_PREFIX.startsWith(prefix) || prefix.startsWith(AUDIT_PREFIX))) continue;
    const days = condition.type === "Age" && typeof condition.maxAge === "number" ? condition.maxAge / DAY_SECONDS : 0;
    if (days < SEVEN_YEARS_DAYS) {
      problems.push(`lifecycle rule '${rule.id ?? "?"}' would delete audit objects before seven years`);
    }
  }
  for (const environment of ["", "staging", "production"]) {
    if (!auditBuckets.get(environment)) {
      problems.push(
        `${environment || "the default environment"} binds no ${rules.binding} bucket to keep the rules on`,
      );
    }
  }
  return problems;
}

/** The bucket `binding` names in each environment ("" is the top level), read from wrangler.toml's own lines. */
export function boundBuckets(toml: string, binding: string): Map<string, string> {
  const buckets = new Map<string, string>();
  let section = "";
  let pendingBinding: string | null = null;
  let pendingBucket: string | null = null;
  const flush = () => {
    const env = section === "r2_buckets" ? "" : /^env\.([A-Za-z0-9_-]+)\.r2_buckets$/.exec(section)?.[1];
    if (env !== undefined && pendingBinding === binding && pendingBucket) buckets.set(env, pendingBucket);
    pendingBinding = null;
    pendingBucket = null;
  };
  for (const line of toml.split("\n")) {
    const header = /^\s*\[\[([^\]]+)\]\]\s*$/.exec(line) ?? /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      flush();
      section = header[1] ?? "";
      continue;
    }
    pendingBinding = /^\s*binding\s*=\s*"([^"]+)"/.exec(line)?.[1] ?? pendingBinding;
    pendingBucket = /^\s*bucket_name\s*=\s*"([^"]+)"/.exec(line)?.[1] ?? pendingBucket;
  }
  flush();
  return buckets;
}
