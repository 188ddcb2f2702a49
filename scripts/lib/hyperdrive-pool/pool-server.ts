import { timingSafeEqual } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import type { OriginConnection } from "./origin-connection.js";
import { OriginPool, type PoolLimits, type PoolStats } from "./origin-pool.js";
import { backend, MESSAGE, MessageReader, ReadyWatcher, STARTUP, startupParameters } from "./wire.js";

export interface RunningHyperdrivePool {
  /** The connection string the edge's Hyperdrive binding uses locally: same user, password, database. */
  url: string;
  stats(): PoolStats;
  /** Closes the idle origin sessions; returns how many. */
  drain(): number;
  close(): Promise<void>;
}

const DEFAULT_LIMITS: PoolLimits = { max: 60, idleMax: 20, idleMs: 30_000, timeoutMs: 5_000 };

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Local Hyperdrive: what the platform puts between a Worker and its database, played on this
 * machine. Miniflare's own Hyperdrive emulation is a plain TCP proxy, so every request's new
 * `pg.Client` started a Postgres backend (6 ms here, and 100 ms once eight requests did it at
 * once on two cores), a cost the deployed gateway never pays: Hyperdrive answers the connection
 * at the edge and lends it a pooled session. This server does the same: it takes the client's
 * start-up and password itself (the origin's own credentials, so nothing new to configure),
 * lends it an origin session from `OriginPool`, and from then on passes bytes both ways,
 * watching only for the end of each query cycle and the client's Terminate. Session pooling, not
 * transaction pooling: a client keeps its session until it disconnects, so temporary tables and
 * `SET` behave exactly as on a direct connection.
 *
 * Loopback only, development and tests only (scripts/start.ts); never part of a deployment.
 */
export async function startHyperdrivePool(
  originUrl: string,
  port: number,
  limits: Partial<PoolLimits> = {},
): Promise<RunningHyperdrivePool> {
  const origin = new URL(originUrl);
  const user = decodeURIComponent(origin.username);
  const password = decodeURIComponent(origin.password);
  const database = decodeURIComponent(origin.pathname.slice(1)) || user;
  const pool = new OriginPool(originUrl, { ...DEFAULT_LIMITS, ...limits });
  const clients = new Set<Socket>();

  const server: Server = createServer((socket) => {
    clients.add(socket);
    socket.once("close", () => clients.delete(socket));
    socket.setNoDelay(true);
    socket.on("error", () => {});
    void serveClient(socket, { user, password, database, originUrl, pool });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const url = new URL(originUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    stats: () => pool.stats(),
    drain: () => pool.drain(),
    close: async () => {
      pool.close();
      for (const socket of clients) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface ClientContext {
  user: string;
  password: string;
  database: string;
  originUrl: string;
  pool: OriginPool;
}

/** Reads the client's messages until `want` returns a value (or the client leaves: null). */
function readUntil<T>(socket: Socket, reader: MessageReader, want: () => T | null): Promise<T | null> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      try {
        const value = want();
        if (value === null) return false;
        cleanup();
        resolve(value);
        return true;
      } catch (error) {
        cleanup();
        reject(error);
        return true;
      }
    };
    const onData = (chunk: Buffer) => {
      reader.push(chunk);
      attempt();
    };
    const onClose = () => {
      cleanup();
      resolve(null);
    };
    const cleanup = () => {
      socket.off("data", onData);
      socket.off("close", onClose);
    };
    socket.on("data", onData);
    socket.once("close", onClose);
    attempt();
  });
}

async function serveClient(socket: Socket, context: ClientContext): Promise<void> {
  const reader = new MessageReader(64 * 1024 * 1024);
  const refuse = (code: string, message: string): void => void socket.end(backend.fatal(code, message));
  try {
    // Start-up phase: TLS and GSS encryption are declined (loopback), a CancelRequest goes to
    // the origin as it is (its keys are the origin session's own), a StartupMessage starts.
    let startup = await readUntil(socket, reader, () => reader.nextStartup());
    while (startup && (startup.code === STARTUP.sslRequest || startup.code === STARTUP.gssEncRequest)) {
      socket.write("N");
      startup = await readUntil(socket, reader, () => reader.nextStartup());
    }
    if (!startup) return;
    if (startup.code === STARTUP.cancelRequest) {
      forwardCancel(context.originUrl, startup.body);
      socket.end();
      return;
    }
    if (startup.code !== STARTUP.protocol3) return refuse("08P01", "unsupported frontend protocol");
    const parameters = startupParameters(startup.body);
    const user = parameters.get("user") ?? "";
    const database = parameters.get("database") ?? user;
    if (user !== context.user || database !== context.database) {
      return refuse("28000", `no pooled database for user "${user}" and database "${database}"`);
    }
    socket.write(backend.askPassword());
    const answer = await readUntil(socket, reader, () => reader.nextTyped());
    if (!answer) return;
    const given = answer[0] === MESSAGE.password ? answer.subarray(5, answer.length - 1).toString("utf8") : "";
    if (!sameSecret(given, context.password)) {
      return refuse("28P01", `password authentication failed for user "${user}"`);
    }
    let origin: OriginConnection;
    try {
      origin = await context.pool.acquire(parameters);
    } catch (error) {
      return refuse("08006", `the database is unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (socket.destroyed) {
      // The client gave up while it waited: the session is fresh or reset, so it goes back.
      context.pool.release(origin, true, parameters);
      return;
    }
    socket.write(
      Buffer.concat([
        backend.authenticationOk(),
        ...[...origin.parameters].map(([name, value]) => backend.parameterStatus(name, value)),
        backend.backendKeyData(origin.processId, origin.secretKey),
        backend.readyForQuery(),
      ]),
    );
    splice(socket, reader, origin, parameters, context.pool);
  } catch {
    socket.destroy();
  }
}

/** Frontend messages that end a query cycle: each is answered by exactly one ReadyForQuery. */
const CYCLE_ENDS = new Set([0x51 /* Q */, 0x53 /* S, Sync */, 0x46 /* F */]);

/**
 * Bytes both ways, untouched, until either side leaves. The client's messages are read whole to
 * see its Terminate (which must not reach the origin: the session outlives the client) and to
 * count the query cycles it began; the origin's are watched for the ReadyForQuery ending each.
 * The session is kept only if the client left with every cycle answered, nothing half-sent
 * (extended-protocol messages before their Sync) and no transaction open.
 */
function splice(
  client: Socket,
  reader: MessageReader,
  origin: OriginConnection,
  parameters: Map<string, string>,
  pool: OriginPool,
): void {
  const watcher = new ReadyWatcher();
  watcher.status = "I";
  let cyclesBegun = 0;
  let unsynced = 0;
  let done = false;
  const detach = () => {
    done = true;
    client.off("data", fromClient);
    origin.socket.off("data", fromOrigin);
    origin.socket.off("close", originClosed);
    origin.socket.off("error", originClosed);
  };
  const finish = () => {
    if (done) return;
    detach();
    client.destroy();
    const idle = cyclesBegun === watcher.cycles && unsynced === 0 && watcher.status === "I";
    pool.release(origin, idle, parameters);
  };
  const fromClient = (chunk: Buffer) => {
    reader.push(chunk);
    const out: Buffer[] = [];
    let leaving = false;
    try {
      for (let message = reader.nextTyped(); message; message = reader.nextTyped()) {
        const type = message[0] as number;
        if (type === MESSAGE.terminate) {
          leaving = true;
          break;
        }
        if (CYCLE_ENDS.has(type)) {
          cyclesBegun += 1;
          unsynced = 0;
        } else unsynced += 1;
        out.push(message);
      }
    } catch {
      unsynced += 1; // a malformed message: the session's state is unknown, so it is not kept
      return finish();
    }
    if (out.length > 0) origin.socket.write(out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out));
    if (leaving) finish();
  };
  const fromOrigin = (chunk: Buffer) => {
    watcher.feed(chunk);
    client.write(chunk);
  };
  const originClosed = () => {
    if (done) return;
    detach();
    client.end();
  };
  client.on("data", fromClient);
  // A client gone without a Terminate (a request torn down) leaves a session that may still be
  // idle: `finish` keeps it only if it is.
  client.once("close", finish);
  origin.socket.on("data", fromOrigin);
  origin.socket.once("close", originClosed);
  origin.socket.once("error", originClosed);
  const early = reader.rest();
  if (early.length > 0) fromClient(early);
}

function forwardCancel(originUrl: string, body: Buffer): void {
  const address = new URL(originUrl);
  const socket = connect(Number(address.port || 5432), address.hostname);
  socket.on("error", () => {});
  const packet = Buffer.alloc(8);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(STARTUP.cancelRequest, 4);
  socket.end(Buffer.concat([packet, body.subarray(0, 8)]));
}
