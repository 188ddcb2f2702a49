/**
 * One authenticated request as its merchant sees it later in `GET /v1/request_logs`. It travels
 * on the audit-log queue beside the audit entries (`kind` tells them apart) and lands in
 * Postgres. Path only (redacted): never the query string, headers or body.
 */
export interface RequestSummary {
  kind: "request";
  id: string;
  at: string;
  merchant_id: string;
  api_key_id: string | null;
  /**
   * The calling key's mode: each mode's log is listed only to keys of that mode. Absent only in
   * summaries queued before modes; they take their key's.
   */
  livemode?: boolean;
  method: string;
  path: string;
  status: number;
  latency_ms: number;
  error_code: string | null;
  /** The API version the request ran on (absent in summaries from before versioning). */
  api_version?: string | null;
}

export function isRequestSummary(body: unknown): body is RequestSummary {
  return typeof body === "object" && body !== null && (body as { kind?: unknown }).kind === "request";
}
