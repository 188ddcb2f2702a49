import { z } from "zod";

/**
 * The vault service's configuration, parsed once from the environment. Nothing else in the
 * service reads `process.env` (STYLE.md), so every setting is visible here.
 */
const configSchema = z.object({
  VAULT_HOST: z.string().default("127.0.0.1"),
  VAULT_PORT: z.coerce.number().int().min(0).max(65535).default(8788),
  DATABASE_URL: z.string().url(),
});

export type VaultConfig = z.output<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): VaultConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`vault-service configuration is invalid:\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}
