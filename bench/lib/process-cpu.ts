import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time by part of the stack, read from Linux's `/proc/<pid>/stat` (proc(5): utime, stime,
 * cutime and cstime, fields 14-17, in clock ticks of 10 ms): every process under the stack's root
 * (`npm start`'s node), grouped by what it runs. Sampled before and after a benchmark run, it says what one answer
 * costs each part in CPU, which on a machine whose cores are all busy is what bounds throughput:
 * the edge's isolate, the vault, the simulators and Postgres share the same two cores.
 */
export type StackPart =
  | "edge (workerd)"
  | "vault"
  | "simulators"
  | "postgres"
  | "stack (node: local Hyperdrive, Miniflare)";

export const STACK_PARTS: readonly StackPart[] = [
  "edge (workerd)",
  "vault",
  "simulators",
  "postgres",
  "stack (node: local Hyperdrive, Miniflare)",
];

const TICK_MS = 10; // USER_HZ is 100 on Linux; `getconf CLK_TCK`

interface ProcessStat {
  pid: number;
  ppid: number;
  ticks: number;
}

function readStat(pid: number): ProcessStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: fields count from its end.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // utime + stime, and cutime + cstime: the children it has reaped (Postgres's backends, which
    // come and go with their connections) are charged to it once they are gone.
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number) as [number, number, number, number];
    return { pid, ppid: Number(fields[1]), ticks: utime + stime + cutime + cstime };
  } catch {
    return null; // it exited between the listing and the read
  }
}

function partOf(pid: number): StackPart {
  let command = "";
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "stack (node: local Hyperdrive, Miniflare)";
  }
  if (command.includes("workerd")) return "edge (workerd)";
  if (command.includes("postgres")) return "postgres";
  if (command.includes("vault-service/")) return "vault";
  if (command.includes("simulators/")) return "simulators";
  return "stack (node: local Hyperdrive, Miniflare)";
}

/** CPU milliseconds used so far by each part of the stack under `rootPid`, itself included. */
export function stackCpu(rootPid: number): Record<StackPart, number> {
  const stats = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcessStat => stat !== null);
  const children = new Map<number, ProcessStat[]>();
  for (const stat of stats) {
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(stat);
    else children.set(stat.ppid, [stat]);
  }
  const totals = Object.fromEntries(STACK_PARTS.map((part) => [part, 0])) as Record<StackPart, number>;
  const root = stats.find((stat) => stat.pid === rootPid);
  const queue = root ? [root] : [];
  while (queue.length > 0) {
    const stat = queue.pop() as ProcessStat;
    totals[partOf(stat.pid)] += stat.ticks * TICK_MS;
    queue.push(...(children.get(stat.pid) ?? []));
  }
  return totals;
}

/** What each part spent between two samples, per answer counted in between. */
export function cpuPerAnswer(
  before: Record<StackPart, number>,
  after: Record<StackPart, number>,
  answers: number,
): Record<StackPart, number> {
  return Object.fromEntries(
    STACK_PARTS.map((part) => [part, answers > 0 ? (after[part] - before[part]) / answers : 0]),
  ) as Record<StackPart, number>;
}

/** The stack's CPU between two samples taken `seconds` apart, in cores kept busy. */
export function coresBusy(
  before: Record<StackPart, number>,
  after: Record<StackPart, number>,
  seconds: number,
): number {
  const spent = STACK_PARTS.reduce((sum, part) => sum + after[part] - before[part], 0);
  return spent / (seconds * 1000);
}
