import net from "node:net";

/**
 * Preloaded into the process that runs the edge Worker locally (`wrangler dev` gets it with
 * `node --import`, scripts/edge-miniflare.ts imports it). Miniflare emulates Hyperdrive with a
 * TCP proxy in that process (workerd <-> proxy <-> Postgres) whose sockets keep Nagle's
 * algorithm on. Postgres often answers in two segments; the second then waits for the peer's
 * delayed ACK, and a query that takes 1 ms takes 40 (measured here: GET /v1/merchant, one
 * connection and one query, p50 50 ms before, 9 ms after). Real Hyperdrive has no such stall, so
 * every socket this process opens or accepts sends at once, as Node's own HTTP server does.
 */
const createServer = net.createServer;
const createConnection = net.createConnection;
const noDelay = (socket) => socket.setNoDelay(true);

net.createServer = (...args) => createServer(...args).on("connection", noDelay);
net.createConnection = (...args) => noDelay(createConnection(...args));
net.connect = net.createConnection;
