import { ApiError } from "../errors/api-error.js";
import { hostAddress, isLoopbackAddress } from "../net/special-addresses.js";

/**
 * Why a page at this origin may not tokenize cards for the merchant, or null when it may. The
 * origin is where card data is typed: served over plain `http`, anyone on the path can rewrite
 * the page and its script before the card frame loads (PCI DSS 4.2.1 and 6.4.3), so only `https`.
 * Local development (ENVIRONMENT = "development") also allows `http` on loopback hosts, which only
 * a browser on the developer's own machine can reach, for a checkout served by `npm start`.
 */
export function tokenizationOriginProblem(origin: string, { localDevelopment }: { localDevelopment: boolean }) {
  const url = new URL(origin); // the schema has already checked it is an origin
  if (url.protocol === "https:") return null;
  const host = url.hostname.replace(/\.+$/, "");
  const address = hostAddress(host);
  const loopback = address ? isLoopbackAddress(address) : host === "localhost" || host.endsWith(".localhost");
  if (localDevelopment && loopback) return null;
  return localDevelopment
    ? "Tokenization origins must use https (http only on localhost, 127.0.0.1 or [::1] in local development)."
    : "Tokenization origins must use https.";
}

/** The registration check: a refused origin is a 400 naming its place in `tokenization_origins`. */
export function assertTokenizationOriginsAllowed(
  origins: readonly string[] | undefined,
  env: Pick<Env, "ENVIRONMENT">,
): void {
  const localDevelopment = env.ENVIRONMENT === "development";
  origins?.forEach((origin, index) => {
    const problem = tokenizationOriginProblem(origin, { localDevelopment });
    if (problem) throw new ApiError("parameter_invalid", { param: `tokenization_origins[${index}]`, message: problem });
  });
}
