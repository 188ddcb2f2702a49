import { withDeadline } from "../../common/deadline-signal.js";
import { readExcerpt } from "./response-excerpt.js";
import { webhookUrlProblem } from "./webhook-url-policy.js";

/** Standard Webhooks asks for a short timeout; the issue caps it at 15 s. */
const REQUEST_TIMEOUT_MS = 15_000;
const ERROR_CHARS = 1_000;

/** What one attempt got back: a status and excerpt, or why nothing came. */
export interface WebhookAnswer {
  statusCode: number | null;
  retryAfter: string | null;
  excerpt: string | null;
  error: string | null;
}

/**
 * One delivery attempt: a signed POST to the endpoint's URL. The URL is checked again on every
 * attempt, not only at registration: it may predate the rule, or WEBHOOK_LOCAL_RECEIVERS may have
 * changed since. A refused URL is a failed attempt that sends nothing; the retries stand, so an
 * endpoint the merchant corrects still gets the event.
 */
export async function postWebhook(
  url: string,
  request: { headers: Record<string, string>; body: string },
  options: { localReceivers: boolean },
): Promise<WebhookAnswer> {
  const refused = webhookUrlProblem(url, options);
  if (refused) return { statusCode: null, retryAfter: null, excerpt: null, error: `url_not_allowed: ${refused}` };
  try {
    return await withDeadline(REQUEST_TIMEOUT_MS, async (signal) => {
      const response = await fetch(url, {
        method: "POST",
        headers: request.headers,
        body: request.body,
        // A 3xx is the answer, never followed: a redirect could lead the request inside, past the
        // URL check above (OWASP SSRF prevention). Like any non-2xx, it is a failed attempt.
        redirect: "manual",
        signal,
      });
      return {
        statusCode: response.status,
        retryAfter: response.headers.get("Retry-After"),
        excerpt: await readExcerpt(response),
        error: null,
      };
    });
  } catch (cause) {
    const error = cause instanceof Error ? `${cause.name}: ${cause.message}`.slice(0, ERROR_CHARS) : "request failed";
    return { statusCode: null, retryAfter: null, excerpt: null, error };
  }
}
