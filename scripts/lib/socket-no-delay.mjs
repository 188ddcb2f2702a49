import net from "node:net";

/**
 * Preloaded into the process that runs the edge Worker locally (`wrangler dev` gets it with
 * `node --import`, scripts/edge-miniflare.ts imports it). Miniflare emulates Hyperdrive with a
 * TCP proxy in that process (workerd <-> proxy <-> Postgres) whose sockets keep Nagle's
 * algorithm on. Postgres often answers in two segments; the second then waits for the peer's
 * delayed ACK, and a query that takes 1 ms takes 40 (measured here: GET /v1/merchant, one
 * connection and one query, p50 50 ms before, 9 ms after). Real Hyperdrive has no such stall, so
 * every socket this process opens or accepts sends at once, as Node's own HTTP server does.
 *
 * The same proxy pipes the two sockets without an 'error' listener, so a connection workerd
 * drops mid-query (a request cancelled, a test isolate torn down) ended the whole process with
 * an unhandled ECONNRESET. A listener on each socket keeps that to the one connection; the pipe
 * still closes it, and the Worker's pg client still sees the error.
 */
const createServer = net.createServer;
const createConnection = net.createConnection;
const ignore = () => {};
const noDelay = (socket) => socket.setNoDelay(true).on("error", ignore);

net.createServer = (...args) => createServer(...args).on("connection", noDelay);
net.createConnection = (...args) => noDelay(createConnection(...args));
net.connect = net.createConnection;
