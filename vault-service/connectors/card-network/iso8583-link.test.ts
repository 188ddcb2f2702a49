import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevTlsMaterial } from "../../../scripts/lib/dev-tls.js";
import { type RunningSimulator, startAcquirerSimulator } from "../../../simulators/acquirer/acquirer-simulator.js";
import { financialRequest } from "../../../test/support/iso-requests.js";
import { pack, unpack } from "../../iso8583/codec.js";
import { FrameDecoder, frame } from "../../iso8583/framing.js";
import type { IsoMessage } from "../../iso8583/message.js";
import { Iso8583Link, LinkError } from "./iso8583-link.js";

/**
 * The link under the card connector: TLS to an acquirer that offers it, and an answer taken only
 * when it is this request's (STAN, terminal and RRN echoed), so no other frame can settle it.
 */
const CONNECT = { timeoutMs: 1_000, attempts: 1, pauseMs: 0 };
const material = createDevTlsMaterial();
const dataDir = mkdtempSync(join(tmpdir(), "link-"));
let tlsSimulator: RunningSimulator;

/** A host that answers every request with `rewrite(response)`: the wrong terminal, the wrong RRN. */
async function rewritingHost(rewrite: (request: IsoMessage) => IsoMessage): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    const decoder = new FrameDecoder();
    socket.on("data", (chunk: Buffer) => {
      for (const raw of decoder.push(chunk)) socket.write(frame(pack(rewrite(unpack(raw)))));
    });
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { server, port: typeof address === "object" && address ? address.port : 0 };
}

const answerOf = (request: IsoMessage, changes: Partial<Record<number, string>>): IsoMessage => ({
  mti: "0110",
  fields: { 11: request.fields[11], 37: request.fields[37], 41: request.fields[41], 39: "00", ...changes },
});

beforeAll(async () => {
  tlsSimulator = await startAcquirerSimulator({
    isoPort: 0,
    adminPort: 0,
    dataDir,
    tls: { cert: material.cert, key: material.key },
  });
});

afterAll(async () => {
  await tlsSimulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the ISO 8583 link", () => {
  it("speaks TLS to an acquirer that offers it, trusting its CA", async () => {
    const link = new Iso8583Link("127.0.0.1", tlsSimulator.isoPort, CONNECT, { ca: material.ca });
    try {
      const answer = await link.exchange(financialRequest(link), 2_000);
      expect(answer).toMatchObject({ mti: "0110", fields: { 39: "00", 41: "GWVISA01" } });
      expect(tlsSimulator.ledger.findByRrn(answer.fields[37] ?? "")).toMatchObject({ status: "approved" });
    } finally {
      await link.close();
    }
  });

  it("refuses a host whose certificate its CA did not sign, before anything is sent", async () => {
    const stranger = createDevTlsMaterial(); // another CA: what a host in the middle would present
    const link = new Iso8583Link("127.0.0.1", tlsSimulator.isoPort, CONNECT, { ca: stranger.ca });
    const before = tlsSimulator.ledger.all().length;
    try {
      const failure = await link.exchange(financialRequest(link), 2_000).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(LinkError);
      expect((failure as LinkError).sent).toBe(false);
      expect(tlsSimulator.ledger.all()).toHaveLength(before);
    } finally {
      await link.close();
    }
  });

  it("gets no answer from a TLS host when it speaks plain TCP (nothing readable is sent)", async () => {
    const link = new Iso8583Link("127.0.0.1", tlsSimulator.isoPort, CONNECT);
    const before = tlsSimulator.ledger.all().length;
    try {
      await expect(link.exchange(financialRequest(link), 500)).rejects.toBeInstanceOf(LinkError);
      expect(tlsSimulator.ledger.all()).toHaveLength(before);
    } finally {
      await link.close();
    }
  });

  it.each([
    ["another terminal's answer", { 41: "GWOTHER1" }],
    ["another RRN's answer", { 37: "999999999999" }],
  ])("ignores %s under the pending STAN, and times out instead", async (_case, changes) => {
    const host = await rewritingHost((request) => answerOf(request, changes));
    const link = new Iso8583Link("127.0.0.1", host.port, CONNECT);
    try {
      const failure = await link.exchange(financialRequest(link), 300).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(LinkError);
      expect((failure as LinkError).message).toMatch(/no response/);
      expect(link.mismatchedFrames).toBe(1);
    } finally {
      await link.close();
      host.server.close();
    }
  });

  it("takes the answer that echoes STAN, terminal and RRN", async () => {
    const host = await rewritingHost((request) => answerOf(request, {}));
    const link = new Iso8583Link("127.0.0.1", host.port, CONNECT);
    try {
      const request = financialRequest(link);
      expect(await link.exchange(request, 1_000)).toMatchObject({ fields: { 11: request.fields[11], 39: "00" } });
      expect(link.mismatchedFrames).toBe(0);
    } finally {
      await link.close();
      host.server.close();
    }
  });
});
