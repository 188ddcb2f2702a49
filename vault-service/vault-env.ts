/** The merchant a tokenization request was authenticated for, by its publishable key. */
export interface PublishableCaller {
  apiKeyId: string;
  merchantId: string;
  livemode: boolean;
  /** `merchants.tokenization_origins`: the browser origins this merchant's pages are served from. */
  tokenizationOrigins: readonly string[];
}

/** Hono's type parameters for the vault's app: per-request variables (the vault has no bindings). */
export interface VaultEnv {
  Variables: {
    requestId: string;
    caller?: PublishableCaller;
    /** The internal API's caller: the payment (`pay_...`) the edge's service token was signed for. */
    edgeSubject?: string;
  };
}
