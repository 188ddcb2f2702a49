import { describe, expect, it } from "vitest";
import { findSecrets } from "../support/secret-scan.js";

describe("the leak scanner", () => {
  it("finds card numbers standing alone, and keys and webhook secrets", () => {
    expect(findSecrets('{"number":"4242424242424242"}')).toEqual(["card number: 424242..."]);
    expect(findSecrets("pan 4222222222222 seen")).toEqual(["card number: 422222..."]); // 13-digit Visa
    expect(findSecrets(`sk_test_${"a".repeat(32)}`)).toHaveLength(1);
    expect(findSecrets(`whsec_${"A".repeat(43)}=`)).toHaveLength(1);
  });

  it("passes millisecond timestamps, digests and bytea, which pass Luhn by chance", () => {
    expect(findSecrets('{"created_at":1795630411019}')).toEqual([]); // drizzle's migration journal
    expect(findSecrets("\\x34323432343234323432343234323432")).toEqual([]);
    expect(findSecrets("hash 4242424242424242abc")).toEqual([]);
  });
});
