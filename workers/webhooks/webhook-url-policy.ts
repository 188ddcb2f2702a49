import { ApiError } from "../errors/api-error.js";
import { hostAddress, isLoopbackAddress, isPublicAddress } from "../net/special-addresses.js";

/**
 * Suffixes of names that never lead to a public host: `localhost` (RFC 6761 §6.3), mDNS `.local`
 * (RFC 6762), `.home.arpa` (RFC 8375) and `.internal`, which ICANN reserved for private use
 * (2024) and clouds use for their own services (`metadata.google.internal`).
 */
const INTERNAL_SUFFIXES = [".localhost", ".local", ".home.arpa", ".internal"];

/**
 * Why a webhook URL may not receive deliveries, in words for the merchant, or null when it may.
 * A webhook is a request the gateway makes wherever a merchant says, and shows them the answer:
 * pointed inside, it would reach the simulator's admin API, other internal origins or a cloud
 * metadata service (server-side request forgery, OWASP SSRF prevention). So only `https` to a
 * public host, with no credentials in the URL. `localReceivers` (WEBHOOK_LOCAL_RECEIVERS = "on",
 * local development only) also allows `http` and loopback hosts, and nothing else.
 *
 * The host is judged as the WHATWG URL parser normalizes it, so `http://2130706433/`,
 * `http://0x7f.1/` and `http://017700000001/` are all 127.0.0.1 here. A public name that
 * resolves to an inside address is not caught: a Worker's `fetch` resolves names itself and
 * offers no hook between resolution and connection, so that is left to the platform's egress.
 */
export function webhookUrlProblem(url: string, { localReceivers }: { localReceivers: boolean }): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "The webhook URL is not a valid URL.";
  }
  const schemes = localReceivers ? ["https:", "http:"] : ["https:"];
  if (!schemes.includes(parsed.protocol)) return "Webhook URLs must use https.";
  if (parsed.username || parsed.password) return "Webhook URLs cannot carry a user name or password.";

  const host = parsed.hostname.replace(/\.+$/, ""); // `localhost.` is `localhost` (RFC 1034 §3.1)
  const address = hostAddress(host);
  if (address) {
    if (localReceivers && isLoopbackAddress(address)) return null;
    if (isPublicAddress(address)) return null;
    return "Webhook URLs must reach a public address, not a loopback, private, link-local, shared, multicast, reserved or metadata one.";
  }
  if (localReceivers && (host === "localhost" || host.endsWith(".localhost"))) return null;
  if (!host.includes(".") || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return "Webhook URLs must use a public host name, not localhost, a name without a dot, or a .local, .internal or .home.arpa name.";
  }
  return null;
}

/** The registration check: a refused URL is a 400 naming `url`. */
export function assertWebhookUrlAllowed(url: string, env: Pick<Env, "WEBHOOK_LOCAL_RECEIVERS">): void {
  const problem = webhookUrlProblem(url, { localReceivers: env.WEBHOOK_LOCAL_RECEIVERS === "on" });
  if (problem) throw new ApiError("url_not_allowed", { param: "url", message: problem });
}
