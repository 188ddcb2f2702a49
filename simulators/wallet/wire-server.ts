import { HttpWireServer } from "../http-wire/http-wire-server.js";
import { type FaultState, faultApplies, routeOf } from "./faults.js";
import { PayPalFailure } from "./paypal-error.js";

type Fetch = (request: Request) => Response | Promise<Response>;

/**
 * The wallet's HTTP endpoint (the API, the approval page, the certificates), with the admin API's
 * faults applied between the wire and the API (simulators/http-wire/): they hit the routes they
 * name; `http_500` is PayPal's own 500 body; a garbled answer starts like PayPal's JSON.
 */
export class WireServer extends HttpWireServer {
  constructor(app: Fetch, faults: () => FaultState, port: number, hostname = "127.0.0.1") {
    super(
      app,
      faults,
      {
        applies: (request) => faultApplies(faults(), routeOf(request.method, new URL(request.url).pathname)),
        garbled: { body: '\u0000GARBLED\u00ff {"status":', contentType: "application/json" },
        serverError: () => Response.json(new PayPalFailure(500).body(), { status: 500 }),
      },
      port,
      hostname,
    );
  }
}
