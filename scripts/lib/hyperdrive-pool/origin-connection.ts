import type { Duplex } from "node:stream";
import pg from "pg";

/** A session opened at the real Postgres, authenticated and idle, its socket the pool's. */
export interface OriginConnection {
  socket: Duplex;
  /** BackendKeyData: a client cancels its query with these (the pool forwards CancelRequest). */
  processId: number;
  secretKey: number;
  /** The ParameterStatus messages of its start-up, replayed to every client that gets it. */
  parameters: Map<string, string>;
}

/**
 * The start-up parameters a client may set, passed to Postgres as `-c name=value` options (the
 * server makes them the session's defaults, so `DISCARD ALL` returns to them). User and database
 * are the pool's; the client's encoding is fixed to UTF8, the only one the gateway speaks.
 */
function optionsOf(parameters: Map<string, string>): string | undefined {
  const options: string[] = [];
  for (const [name, value] of parameters) {
    if (name === "user" || name === "database" || name === "client_encoding") continue;
    if (name === "options") options.push(value);
    // The backslash escapes spaces inside one option (libpq's rule for `options`).
    else options.push(`-c ${name}=${value.replace(/\\/g, "\\\\").replace(/ /g, "\\ ")}`);
  }
  return options.length > 0 ? options.join(" ") : undefined;
}

/**
 * Opens one session at the origin with node-postgres, which speaks every authentication method
 * the server may ask for (SCRAM-SHA-256, MD5, cleartext) and TLS, then takes its socket: from the
 * first ReadyForQuery on, the pool passes bytes through and node-postgres is out of the way.
 * `client.connection.stream` is node-postgres' own socket (pinned version 8.x; the pool's test
 * fails if that changes). Nothing is buffered in its parser at that point: the server says
 * nothing after ReadyForQuery until it is asked.
 */
export async function openOrigin(
  url: string,
  parameters: Map<string, string>,
  timeoutMs: number,
): Promise<OriginConnection> {
  const options = optionsOf(parameters);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    ...(options ? { options } : {}),
  });
  const statuses = new Map<string, string>();
  const connection = (client as unknown as { connection: PgConnection }).connection;
  connection.on("parameterStatus", (message) => statuses.set(message.parameterName, message.parameterValue));
  client.on("error", () => {});
  await client.connect();
  const socket = connection.stream;
  for (const event of ["data", "end", "close", "error"]) socket.removeAllListeners(event);
  const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
  return { socket, processId: processID, secretKey, parameters: statuses };
}

interface PgConnection {
  stream: Duplex;
  on(event: "parameterStatus", listener: (message: { parameterName: string; parameterValue: string }) => void): void;
}
