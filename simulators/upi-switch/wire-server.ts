import { HttpWireServer } from "../http-wire/http-wire-server.js";
import { apiOfPath, type FaultState, faultApplies } from "./faults.js";

type Fetch = (request: Request) => Response | Promise<Response>;

/**
 * The switch's HTTP endpoint (UPI API and payer page), with the admin API's faults applied between
 * the wire and the switch (simulators/http-wire/): they hit the NPCI APIs they name, and a garbled
 * answer starts like an NPCI Ack.
 */
export class WireServer extends HttpWireServer {
  constructor(app: Fetch, faults: () => FaultState, port: number, hostname = "127.0.0.1") {
    super(
      app,
      faults,
      {
        applies: (request) => {
          const target = request.method === "POST" ? apiOfPath(new URL(request.url).pathname) : null;
          return faultApplies(faults(), target?.api ?? null);
        },
        garbled: { body: "\u0000GARBLED\u00ff <upi:Ack", contentType: "application/xml" },
      },
      port,
      hostname,
    );
  }
}
