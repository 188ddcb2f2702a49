import type { KeySourceConfig } from "../config.js";
import type { KeyProvider } from "./key-provider.js";
import { Pkcs11KeyProvider } from "./pkcs11-key-provider.js";
import { SoftwareKeyProvider, softwareKeySource } from "./software-key-provider.js";

/** The KEK provider the configuration names: an HSM over PKCS#11, or the software default. */
export async function openKeyProvider(config: KeySourceConfig): Promise<KeyProvider> {
  if (config.VAULT_KEY_PROVIDER === "pkcs11") {
    return Pkcs11KeyProvider.open({
      library: config.PKCS11_LIBRARY ?? "",
      tokenLabel: config.PKCS11_TOKEN_LABEL ?? "",
      pin: config.PKCS11_PIN ?? "",
    });
  }
  // The configuration refuses this already; checked again here for callers that build their own.
  if (config.VAULT_ENVIRONMENT === "production") throw new Error("the software key provider is refused in production");
  return SoftwareKeyProvider.open(softwareKeySource(config));
}
