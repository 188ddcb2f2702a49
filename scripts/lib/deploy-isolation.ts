/**
 * Issue 12, item 10: deploying cannot hit production by accident. A plain `wrangler deploy` (or
 * `wrangler secret put`) targets the top-level environment, so that environment and staging must
 * share no Worker name, queue or bucket with production: only `--env production` may reach it.
 */

/** Worker names by environment ("" is the top level), read from wrangler.toml's own lines. */
export function workerNames(toml: string): Map<string, string> {
  const names = new Map<string, string>();
  let section = "";
  for (const line of toml.split("\n")) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line) ?? /^\s*\[\[([^\]]+)\]\]\s*$/.exec(line);
    if (header) {
      section = header[1] ?? "";
      continue;
    }
    const name = /^\s*name\s*=\s*"([^"]+)"/.exec(line)?.[1];
    if (!name) continue;
    if (section === "") names.set("", name);
    const env = /^env\.([A-Za-z0-9_-]+)$/.exec(section)?.[1];
    if (env) names.set(env, name);
  }
  return names;
}

/** The queues and buckets a `wrangler deploy --dry-run` says the Worker binds. */
export function boundResources(dryRunOutput: string): Set<string> {
  const resources = new Set<string>();
  for (const match of dryRunOutput.matchAll(/^env\.\w+ \(([^)]+)\)\s+(Queue|R2 Bucket)\s*$/gm)) {
    if (match[1]) resources.add(match[1]);
  }
  return resources;
}

/** Every way `environment` could touch production; empty when it is isolated. */
export function productionOverlap(
  environment: string,
  names: Map<string, string>,
  resources: Map<string, Set<string>>,
): string[] {
  const problems: string[] = [];
  const label = environment || "default";
  if (names.get(environment) === names.get("production")) {
    problems.push(`${label} deploys the production Worker name '${names.get("production")}'`);
  }
  const production = resources.get("production") ?? new Set<string>();
  for (const resource of resources.get(environment) ?? []) {
    if (production.has(resource)) problems.push(`${label} binds production's '${resource}'`);
  }
  return problems;
}
