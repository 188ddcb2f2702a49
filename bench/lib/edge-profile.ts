import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { SourceMapConsumer } from "source-map-js";
import WebSocket from "ws";
import { PROJECT_ROOT } from "../../scripts/lib/start-config.js";

/** A V8 CPU profile as the inspector's `Profiler.stop` returns it. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** How often V8 samples the isolate while it runs, in µs. */
const SAMPLING_INTERVAL_US = 500;

/** The edge Worker's own isolate among workerd's (Miniflare's queue, R2 and KV workers are others). */
const EDGE_TARGET = "core:user:edge-payment-gateway";

/**
 * Samples the edge Worker's CPU for `ms` through workerd's V8 inspector (Chrome DevTools
 * Protocol: Profiler.start / Profiler.stop), while the caller's load runs. Every route, Durable
 * Object and consumer of the Worker runs in that one isolate, so the profile is all of the edge's
 * JavaScript; the native work it calls (SQLite, sockets, RPC) is charged to the calling frame.
 */
export async function profileEdge(inspectorPort: number, during: () => Promise<void>): Promise<CpuProfile> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as {
    id: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((candidate) => candidate.id === EDGE_TARGET);
  if (!target) throw new Error(`BENCHMARK FAILED: no ${EDGE_TARGET} among workerd's inspector targets`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let next = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message.error ? new Error(message.error.message) : message.result);
    waiting.delete(message.id);
  });
  const send = async <T>(method: string, params: object = {}): Promise<T> => {
    const id = ++next;
    const answer = await new Promise<unknown>((resolve) => {
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
    if (answer instanceof Error) throw answer;
    return answer as T;
  };
  try {
    await send("Profiler.enable");
    await send("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
    await send("Profiler.start");
    await during();
    return (await send<{ profile: CpuProfile }>("Profiler.stop")).profile;
  } finally {
    socket.close();
  }
}

/** V8's pseudo-frames: not code of ours or of a package. */
const PSEUDO = new Set(["(program)", "(idle)", "(garbage collector)", "(root)"]);

/**
 * Where the edge's CPU went, by source: each sample's own frame mapped through the bundle's
 * source map to the file it came from, then grouped: a package by its name, our code by file.
 * Shares of the isolate's running time, largest first, and that time in ms. V8 samples the
 * isolate only while it runs, and a sample's `timeDelta` is the time since the one before: across
 * a gap (the thread in another isolate, in workerd's own work, or waiting for I/O) it is that
 * whole gap. Each sample counts for at most one interval, so a gap is not charged to the frame
 * that ran after it (weighting by the delta charged 3x the running time to such frames at 40
 * payments/s, and 50x at 1/s).
 */
export function cpuBySource(
  profile: CpuProfile,
  bundleDir: string,
): { busyMs: number; rows: { source: string; share: number }[] } {
  const map = new SourceMapConsumer(JSON.parse(readFileSync(join(bundleDir, "index.js.map"), "utf8")));
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals = new Map<string, number>();
  let busy = 0;
  for (const [index, sample] of profile.samples.entries()) {
    const frame = frames.get(sample);
    const micros = Math.min(profile.timeDeltas[index] ?? 0, SAMPLING_INTERVAL_US);
    if (!frame || frame.functionName === "(idle)") continue;
    busy += micros;
    const source = sourceOf(frame, map);
    totals.set(source, (totals.get(source) ?? 0) + micros);
  }
  const rows = [...totals]
    .map(([source, micros]) => ({ source, share: micros / Math.max(1, busy) }))
    .sort((a, b) => b.share - a.share);
  return { busyMs: busy / 1000, rows };
}

function sourceOf(frame: CpuProfile["nodes"][number]["callFrame"], map: SourceMapConsumer): string {
  if (PSEUDO.has(frame.functionName)) return frame.functionName;
  if (!frame.url.endsWith("index.js")) return `(runtime) ${frame.functionName || frame.url || "native"}`;
  const original = map.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber });
  if (!original.source) return "(bundle glue)";
  const path = relative(PROJECT_ROOT, original.source);
  // esbuild names packages' sources relative to their own root: `node_modules/src/...` is a
  // package whose name the path lost; the function name still tells which.
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  if (inPackage) return inPackage === "src" ? `(a package) ${frame.functionName || "anonymous"}` : inPackage;
  return path;
}
