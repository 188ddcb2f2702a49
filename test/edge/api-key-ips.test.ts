import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { markKeySeenFrom, RECENT_WINDOW_DAYS } from "../../workers/api-keys/api-key-ips.repository.js";
import { connect } from "../../workers/db/database.js";
import { newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";

describe("a key's addresses (api_key_ips)", () => {
  it("call an address new once across isolates, and again only after the recent window", async () => {
    const { secretKeyId } = await newMerchant();
    const ip = "203.0.113.77";
    const connection = await connect(env);
    try {
      // Two isolates racing on the same pair: only one of them announces it.
      const racing = await Promise.all([
        markKeySeenFrom(connection.db, secretKeyId, ip),
        (async () => {
          const other = await connect(env);
          try {
            return await markKeySeenFrom(other.db, secretKeyId, ip);
          } finally {
            await other.close();
          }
        })(),
      ]);
      expect(racing.filter(Boolean)).toHaveLength(1);
      expect(await markKeySeenFrom(connection.db, secretKeyId, ip)).toBe(false);

      await sql(
        `update api_key_ips set last_seen = now() - ($3::int + 1) * interval '1 day' where key_id = $1 and ip = $2`,
        [secretKeyId, ip, RECENT_WINDOW_DAYS],
      );
      expect(await markKeySeenFrom(connection.db, secretKeyId, ip)).toBe(true);
      expect(await markKeySeenFrom(connection.db, secretKeyId, ip)).toBe(false);
    } finally {
      await connection.close();
    }
  });
});
