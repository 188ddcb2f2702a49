import { ERROR_CATALOG, type ErrorCode, type ErrorType } from "./error-catalog.js";

export interface ApiErrorOptions {
  /** Overrides the catalog message; must never contain secrets or card data (it reaches the client). */
  message?: string;
  /** The request parameter at fault, in Stripe's bracket notation (`settlement_config[schedule]`). */
  param?: string;
  declineCode?: string;
  headers?: Record<string, string>;
  /** For logs only: why it happened internally. Never rendered. */
  cause?: unknown;
}

/** The one error type of the edge. Thrown anywhere; rendered by `onError` in one shape. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: (typeof ERROR_CATALOG)[ErrorCode]["status"];
  readonly type: ErrorType;
  readonly param: string | undefined;
  readonly declineCode: string | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, options: ApiErrorOptions = {}) {
    const entry = ERROR_CATALOG[code];
    super(options.message ?? entry.message, { cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.status = entry.status;
    this.type = entry.type;
    this.param = options.param;
    this.declineCode = options.declineCode;
    this.headers = options.headers ?? {};
  }
}
