import { VAULT_ERROR_CATALOG, type VaultErrorCode, type VaultErrorType } from "./error-catalog.js";

export interface VaultErrorOptions {
  /** Overrides the catalog message; reaches the client, so never card data or a secret. */
  message?: string;
  /** The parameter at fault, in Stripe's bracket notation (`card[number]`). */
  param?: string;
  headers?: Record<string, string>;
  /** For logs only (redacted): why it happened. Never rendered. */
  cause?: unknown;
}

/** The vault's one error type: thrown anywhere, rendered by `onVaultError` in DESIGN.md's shape. */
export class VaultError extends Error {
  readonly code: VaultErrorCode;
  readonly status: (typeof VAULT_ERROR_CATALOG)[VaultErrorCode]["status"];
  readonly type: VaultErrorType;
  readonly param: string | undefined;
  readonly headers: Record<string, string>;

  constructor(code: VaultErrorCode, options: VaultErrorOptions = {}) {
    const entry = VAULT_ERROR_CATALOG[code];
    super(options.message ?? entry.message, { cause: options.cause });
    this.name = "VaultError";
    this.code = code;
    this.status = entry.status;
    this.type = entry.type;
    this.param = options.param;
    this.headers = options.headers ?? {};
  }
}
