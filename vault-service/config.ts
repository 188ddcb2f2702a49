import { readFileSync } from "node:fs";
import { z } from "zod";

/** 32 bytes or more, in base64 or base64url: the shape of every secret the vault is given. */
const secretBytes = z.string().refine((value) => Buffer.from(value, "base64").length >= 32, {
  message: "must be at least 32 random bytes, base64 or base64url encoded",
});

/**
 * Where the software key provider's KEKs come from: a key file it manages (created 0600 on first
 * run, appended to by rotation), or the environment (`VAULT_KEKS=v1:<base64>,v2:<base64>`, the
 * highest version current), for deployments that inject secrets and keep no writable disk.
 */
const hostPort = z.string().regex(/^[^:\s]+:\d{1,5}$/, "must be host:port");
/** A readable PEM certificate file. */
const pemFile = z.string().refine(
  (path) => {
    try {
      return readFileSync(path, "utf8").includes("-----BEGIN CERTIFICATE-----");
    } catch {
      return false;
    }
  },
  { message: "must be a readable PEM certificate file" },
);
/** ISO 8583 field 41 is fixed at 8 characters; ours are letters and digits. */
const terminalId = z.string().regex(/^[0-9A-Za-z]{8}$/, "must be 8 letters or digits (ISO 8583 field 41)");

const keySourceSchema = z.object({
  /**
   * Where this vault runs. `production` refuses the software key provider (PCI DSS 3.6.1.2 and
   * 3.7.x: KEKs in production are held in a secure cryptographic device, never in a file or an
   * environment variable on the host); development and staging may use it.
   */
  VAULT_ENVIRONMENT: z.enum(["development", "staging", "production"]).default("development"),
  /** `software` (a KEK file or VAULT_KEKS) or `pkcs11` (an HSM: PKCS11_LIBRARY, PKCS11_TOKEN_LABEL, PKCS11_PIN). */
  VAULT_KEY_PROVIDER: z.enum(["software", "pkcs11"]).default("software"),
  PKCS11_LIBRARY: z.string().optional(),
  PKCS11_TOKEN_LABEL: z.string().optional(),
  PKCS11_PIN: z.string().optional(),
  VAULT_KEK_FILE: z.string().min(1).optional(),
  VAULT_KEKS: z
    .string()
    .regex(/^v[1-9]\d*:[A-Za-z0-9+/_-]+=*(,v[1-9]\d*:[A-Za-z0-9+/_-]+=*)*$/, "must be v1:<base64>[,v2:<base64>...]")
    .optional(),
});

const exactlyOneKeySource = (config: z.output<typeof keySourceSchema>, context: z.RefinementCtx) => {
  if (config.VAULT_KEY_PROVIDER === "pkcs11") {
    for (const name of ["PKCS11_LIBRARY", "PKCS11_TOKEN_LABEL", "PKCS11_PIN"] as const) {
      if (!config[name])
        context.addIssue({ code: "custom", path: [name], message: "required when VAULT_KEY_PROVIDER=pkcs11" });
    }
    return;
  }
  if (config.VAULT_ENVIRONMENT === "production") {
    context.addIssue({
      code: "custom",
      path: ["VAULT_KEY_PROVIDER"],
      message: "the software key provider is refused in production: set VAULT_KEY_PROVIDER=pkcs11 (an HSM)",
    });
  }
  if ((config.VAULT_KEK_FILE === undefined) === (config.VAULT_KEKS === undefined)) {
    context.addIssue({
      code: "custom",
      path: ["VAULT_KEK_FILE"],
      message: "set exactly one of VAULT_KEK_FILE (a key file) or VAULT_KEKS (KEKs from the environment)",
    });
  }
};

/**
 * Field 41 by default, per acquirer, mode and network: the acquirer books by terminal and RRN, so
 * no two links share one (see `twoWorlds`). Acquirer A keeps the terminals of the one acquirer
 * there was, so nothing deployed changes.
 */
export const DEFAULT_TERMINAL_IDS = {
  acquirer_a: {
    test: { visa: "GWVISA01", mastercard: "GWMC0001" },
    live: { visa: "GWVISL01", mastercard: "GWMCL001" },
  },
  acquirer_b: {
    test: { visa: "GWBVIS01", mastercard: "GWBMC001" },
    live: { visa: "GWBVIL01", mastercard: "GWBMCL01" },
  },
} as const;

/**
 * The vault service's configuration, parsed once from the environment. Nothing else in the
 * service reads `process.env` (STYLE.md), so every setting is visible here.
 */
const settingsSchema = keySourceSchema.extend({
  VAULT_HOST: z.string().default("127.0.0.1"),
  VAULT_PORT: z.coerce.number().int().min(0).max(65535).default(8788),
  DATABASE_URL: z.string().url(),
  /** The edge's pepper: publishable keys are stored only as HMAC(pepper, key), so the vault needs it to find them. */
  API_KEY_PEPPER: z.string().min(16),
  /** Root of the per-merchant fingerprint keys (PCI DSS 3.5.1.1: keyed hash of the PAN). Never rotate it casually: fingerprints change with it. */
  VAULT_FINGERPRINT_SECRET: secretBytes,
  /** PCI DSS 3.3.1: the CVC is held in memory only until its authorization, and never longer than 10 minutes. */
  VAULT_CVC_TTL_SECONDS: z.coerce.number().int().min(1).max(600).default(600),
  /** CVCs held at once in all (memory bound); when full, the largest holder's oldest goes. */
  VAULT_CVC_MAX_ENTRIES: z.coerce.number().int().min(1).default(100_000),
  /** CVCs one merchant may have waiting at once; past it, its own oldest goes, never another merchant's. */
  VAULT_CVC_MAX_PER_MERCHANT: z.coerce.number().int().min(1).default(10_000),
  /**
   * A token no payment has used is refused, and swept, this long after it was made (PCI DSS
   * 3.2.1: card data kept no longer than needed). A checkout pays within minutes; 24 h by default.
   */
  VAULT_TOKEN_UNUSED_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(600)
    .max(30 * 86_400)
    .default(86_400),
  /** `POST /v1/tokens` per publishable key, per second (bursts of twice that). */
  VAULT_TOKENIZE_PER_KEY_PER_SECOND: z.coerce.number().int().min(1).default(50),
  /** `POST /v1/tokens` per client address (IPv6: per /64), per second (bursts of twice that). */
  VAULT_TOKENIZE_PER_CLIENT_PER_SECOND: z.coerce.number().int().min(1).default(100),
  /** The edge's public keys (a JWKS, JSON) for the internal API's service tokens; unset = no internal API. */
  EDGE_TOKEN_JWKS: z
    .string()
    .refine((value) => {
      try {
        return Array.isArray((JSON.parse(value) as { keys?: unknown }).keys);
      } catch {
        return false;
      }
    }, 'must be a JWKS: {"keys":[...]}')
    .optional(),
  /**
   * Test mode's ISO 8583 acquirers, `host:port` (TCP). Test mode reaches only simulators (DESIGN
   * invariant 6): these must never name a real network. `VISA_ACQUIRER` and `MASTERCARD_ACQUIRER`
   * are acquirer A's per-network hosts from before there were two acquirers; set, they win.
   */
  ACQUIRER_A: hostPort.default("127.0.0.1:8583"),
  VISA_ACQUIRER: hostPort.optional(),
  MASTERCARD_ACQUIRER: hostPort.optional(),
  ACQUIRER_B: hostPort.default("127.0.0.1:8593"),
  /**
   * Our terminal id at each acquirer for each network (ISO 8583 field 41, ans 8), one per vault
   * instance and mode: the acquirer books RRNs per terminal, so two instances (or two modes, or
   * two acquirers' links) sharing one would share an RRN space and a chargeback advice could not
   * tell their transactions apart. Acquirer A's keep their names from before acquirer B.
   */
  VISA_TERMINAL_ID: terminalId.default(DEFAULT_TERMINAL_IDS.acquirer_a.test.visa),
  MASTERCARD_TERMINAL_ID: terminalId.default(DEFAULT_TERMINAL_IDS.acquirer_a.test.mastercard),
  ACQUIRER_B_VISA_TERMINAL_ID: terminalId.default(DEFAULT_TERMINAL_IDS.acquirer_b.test.visa),
  ACQUIRER_B_MASTERCARD_TERMINAL_ID: terminalId.default(DEFAULT_TERMINAL_IDS.acquirer_b.test.mastercard),
  /**
   * Live mode's acquirers. Unset (allowed outside production, and for acquirer B anywhere): that
   * acquirer's live operations are answered `unavailable` before anything is journaled or sent;
   * never routed to test mode's links. `LIVE_VISA_ACQUIRER` and `LIVE_MASTERCARD_ACQUIRER` are
   * acquirer A's per-network hosts from before; set, they win.
   */
  LIVE_ACQUIRER_A: hostPort.optional(),
  LIVE_VISA_ACQUIRER: hostPort.optional(),
  LIVE_MASTERCARD_ACQUIRER: hostPort.optional(),
  LIVE_ACQUIRER_B: hostPort.optional(),
  LIVE_VISA_TERMINAL_ID: terminalId.default(DEFAULT_TERMINAL_IDS.acquirer_a.live.visa),
  LIVE_MASTERCARD_TERMINAL_ID: terminalId.default(DEFAULT_TERMINAL_IDS.acquirer_a.live.mastercard),
  LIVE_ACQUIRER_B_VISA_TERMINAL_ID: terminalId.default(DEFAULT_TERMINAL_IDS.acquirer_b.live.visa),
  LIVE_ACQUIRER_B_MASTERCARD_TERMINAL_ID: terminalId.default(DEFAULT_TERMINAL_IDS.acquirer_b.live.mastercard),
  /**
   * The Stripe-style card aggregator (HTTP, the official `stripe` client): test mode's is the
   * simulator, with its development key. Live mode's is optional (unset: `unavailable` there).
   */
  AGGREGATOR_URL: z.string().url().default("http://127.0.0.1:8591"),
  AGGREGATOR_SECRET_KEY: z
    .string()
    .regex(/^sk_test_\S{16,}$/, "must be an sk_test_ key: test mode reaches no live account")
    .default("sk_test_aggregator_simulator_dev_key"),
  LIVE_AGGREGATOR_URL: z.string().url().optional(),
  LIVE_AGGREGATOR_SECRET_KEY: z
    .string()
    .regex(/^sk_(live|test)_\S{16,}$/, "must be an sk_ key")
    .optional(),
  /**
   * One aggregator request's timeout. The client resends once a request whose connection closed
   * under it, so two of them must fit in the edge's call (`common/timeout-budgets.ts`).
   */
  AGGREGATOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000).default(10_000),
  /**
   * What live mode's links reach: the card networks' acquirers, or a simulator standing in for
   * them (`npm start`). Production refuses a simulator.
   */
  LIVE_NETWORK: z.enum(["acquirer", "simulator"]).default("acquirer"),
  /**
   * TLS on each mode's ISO 8583 links: the acquirer's CA certificate (a PEM file), the only one
   * the link trusts, and the host name dialled must be in the host's certificate. Unset: plain
   * TCP (a private line or VPN). Production requires it for live mode (PCI DSS 4.2.1: strong
   * cryptography for cardholder data over networks the vault does not own).
   */
  ACQUIRER_TLS_CA_FILE: pemFile.optional(),
  LIVE_ACQUIRER_TLS_CA_FILE: pemFile.optional(),
  /** The shared secret acquirers sign their advices (chargebacks) with; unset = no inbound network API. */
  ACQUIRER_NOTIFY_SECRET: secretBytes.optional(),
  /** Where the edge is, and the private JWK (ES256) the vault signs what it hands the edge with. */
  EDGE_URL: z.string().url().optional(),
  VAULT_NOTIFY_SIGNING_KEY: z.string().optional(),
  /**
   * Overrides every network's ISO 8583 response timer (tests use a short one). Unset: each
   * network's own timer from `common/timeout-budgets.ts` (Visa 10 s, Mastercard 12 s).
   */
  CARD_NETWORK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).optional(),
});

/**
 * Test mode and live mode are two worlds (DESIGN invariant 6): live mode never reaches a test
 * link, nor books under a test terminal (the acquirer books by terminal and RRN, so a shared
 * terminal would mix the two modes' transactions and chargebacks). In production live mode must
 * have links, and they must be the real networks'. Hosts are compared as written: two spellings
 * of one host (a name and its address) are not caught here.
 */
const twoWorlds = (config: z.output<typeof settingsSchema>, context: z.RefinementCtx) => {
  const issue = (path: string, message: string) => context.addIssue({ code: "custom", path: [path], message });
  const links = acquirerLinks(config);
  const testHosts = Object.values(links.test).flatMap((acquirer) =>
    acquirer ? Object.values(acquirer).map((link) => link.host.toLowerCase()) : [],
  );
  if (
    config.LIVE_ACQUIRER_A === undefined &&
    (config.LIVE_VISA_ACQUIRER === undefined) !== (config.LIVE_MASTERCARD_ACQUIRER === undefined)
  ) {
    issue(
      "LIVE_VISA_ACQUIRER",
      "set LIVE_ACQUIRER_A, or both LIVE_VISA_ACQUIRER and LIVE_MASTERCARD_ACQUIRER, or neither (live mode then has no acquirer A)",
    );
  }
  if (!links.live.acquirer_a && config.VAULT_ENVIRONMENT === "production") {
    issue("LIVE_ACQUIRER_A", "required in production: live mode needs its network");
  }
  for (const acquirer of Object.values(links.live)) {
    for (const link of Object.values(acquirer ?? {})) {
      if (testHosts.includes(link.host.toLowerCase()))
        issue(link.hostSetting, "a live link cannot be one of test mode's links");
    }
  }
  // Every terminal of every link, of both modes and both acquirers, is its own.
  const seen = new Set<string>();
  for (const mode of [links.test, links.live]) {
    for (const acquirer of Object.values(mode)) {
      for (const link of Object.values(acquirer ?? {})) {
        if (seen.has(link.terminalId))
          issue(
            link.terminalSetting,
            "a terminal id cannot be another link's (another acquirer's, network's or mode's)",
          );
        seen.add(link.terminalId);
      }
    }
  }
  if (config.LIVE_AGGREGATOR_URL !== undefined) {
    if (config.LIVE_AGGREGATOR_SECRET_KEY === undefined)
      issue("LIVE_AGGREGATOR_SECRET_KEY", "required with LIVE_AGGREGATOR_URL");
    if (new URL(config.LIVE_AGGREGATOR_URL).host === new URL(config.AGGREGATOR_URL).host) {
      issue("LIVE_AGGREGATOR_URL", "a live link cannot be one of test mode's links");
    }
    if (config.VAULT_ENVIRONMENT === "production" && !config.LIVE_AGGREGATOR_URL.startsWith("https://")) {
      issue("LIVE_AGGREGATOR_URL", "must be https in production: it carries card numbers (PCI DSS 4.2.1)");
    }
  }
  if (config.VAULT_ENVIRONMENT === "production" && config.LIVE_ACQUIRER_TLS_CA_FILE === undefined) {
    issue("LIVE_ACQUIRER_TLS_CA_FILE", "required in production: live mode's links carry card numbers and must use TLS");
  }
  if (config.VAULT_ENVIRONMENT === "production" && config.LIVE_NETWORK === "simulator") {
    issue("LIVE_NETWORK", "the live network cannot be a simulator in production");
  }
};

/** One network link at an ISO 8583 acquirer in one mode, and the settings it came from (for refusals). */
export interface AcquirerLink {
  host: string;
  terminalId: string;
  hostSetting: string;
  terminalSetting: string;
}

export type AcquirerLinks = Record<"visa" | "mastercard", AcquirerLink>;

/**
 * Each mode's ISO 8583 acquirers as network links (null: not configured in that mode). Acquirer
 * A's per-network hosts from before there were two acquirers win over `ACQUIRER_A`.
 */
export function acquirerLinks(
  config: Pick<
    z.output<typeof settingsSchema>,
    | "ACQUIRER_A"
    | "VISA_ACQUIRER"
    | "MASTERCARD_ACQUIRER"
    | "ACQUIRER_B"
    | "LIVE_ACQUIRER_A"
    | "LIVE_VISA_ACQUIRER"
    | "LIVE_MASTERCARD_ACQUIRER"
    | "LIVE_ACQUIRER_B"
    | "VISA_TERMINAL_ID"
    | "MASTERCARD_TERMINAL_ID"
    | "ACQUIRER_B_VISA_TERMINAL_ID"
    | "ACQUIRER_B_MASTERCARD_TERMINAL_ID"
    | "LIVE_VISA_TERMINAL_ID"
    | "LIVE_MASTERCARD_TERMINAL_ID"
    | "LIVE_ACQUIRER_B_VISA_TERMINAL_ID"
    | "LIVE_ACQUIRER_B_MASTERCARD_TERMINAL_ID"
  >,
): Record<"test" | "live", Record<"acquirer_a" | "acquirer_b", AcquirerLinks | null>> {
  type Named = [setting: string, value: string | undefined];
  const link = (host: Named, terminal: [string, string]): AcquirerLink | null =>
    host[1] === undefined
      ? null
      : { host: host[1], hostSetting: host[0], terminalId: terminal[1], terminalSetting: terminal[0] };
  const pair = (visa: AcquirerLink | null, mastercard: AcquirerLink | null) =>
    visa && mastercard ? { visa, mastercard } : null;
  const first = (...named: Named[]): Named =>
    named.find(([, value]) => value !== undefined) ?? named.at(-1) ?? ["", undefined];
  const c = config;
  return {
    test: {
      acquirer_a: pair(
        link(first(["VISA_ACQUIRER", c.VISA_ACQUIRER], ["ACQUIRER_A", c.ACQUIRER_A]), [
          "VISA_TERMINAL_ID",
          c.VISA_TERMINAL_ID,
        ]),
        link(first(["MASTERCARD_ACQUIRER", c.MASTERCARD_ACQUIRER], ["ACQUIRER_A", c.ACQUIRER_A]), [
          "MASTERCARD_TERMINAL_ID",
          c.MASTERCARD_TERMINAL_ID,
        ]),
      ),
      acquirer_b: pair(
        link(["ACQUIRER_B", c.ACQUIRER_B], ["ACQUIRER_B_VISA_TERMINAL_ID", c.ACQUIRER_B_VISA_TERMINAL_ID]),
        link(["ACQUIRER_B", c.ACQUIRER_B], ["ACQUIRER_B_MASTERCARD_TERMINAL_ID", c.ACQUIRER_B_MASTERCARD_TERMINAL_ID]),
      ),
    },
    live: {
      acquirer_a: pair(
        link(first(["LIVE_VISA_ACQUIRER", c.LIVE_VISA_ACQUIRER], ["LIVE_ACQUIRER_A", c.LIVE_ACQUIRER_A]), [
          "LIVE_VISA_TERMINAL_ID",
          c.LIVE_VISA_TERMINAL_ID,
        ]),
        link(first(["LIVE_MASTERCARD_ACQUIRER", c.LIVE_MASTERCARD_ACQUIRER], ["LIVE_ACQUIRER_A", c.LIVE_ACQUIRER_A]), [
          "LIVE_MASTERCARD_TERMINAL_ID",
          c.LIVE_MASTERCARD_TERMINAL_ID,
        ]),
      ),
      acquirer_b: pair(
        link(
          ["LIVE_ACQUIRER_B", c.LIVE_ACQUIRER_B],
          ["LIVE_ACQUIRER_B_VISA_TERMINAL_ID", c.LIVE_ACQUIRER_B_VISA_TERMINAL_ID],
        ),
        link(
          ["LIVE_ACQUIRER_B", c.LIVE_ACQUIRER_B],
          ["LIVE_ACQUIRER_B_MASTERCARD_TERMINAL_ID", c.LIVE_ACQUIRER_B_MASTERCARD_TERMINAL_ID],
        ),
      ),
    },
  };
}

const configSchema = settingsSchema.superRefine(exactlyOneKeySource).superRefine(twoWorlds);

/** What the KEK rotation command needs: the database and the key source, none of the serving secrets. */
const rotationSchema = keySourceSchema.extend({ DATABASE_URL: z.string().url() }).superRefine(exactlyOneKeySource);

export type VaultConfig = z.output<typeof configSchema>;
export type KeySourceConfig = z.output<typeof keySourceSchema>;
export type RotationConfig = z.output<typeof rotationSchema>;

function parse<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv, what: string): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`${what} configuration is invalid:\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): VaultConfig {
  return parse(configSchema, env, "vault-service");
}

export function loadRotationConfig(env: NodeJS.ProcessEnv = process.env): RotationConfig {
  return parse(rotationSchema, env, "vault:rotate-kek");
}
