/** The SHA-256 of a `Repr-Digest` field (RFC 9530 §3: a dictionary of algorithm = byte sequence), base64, if it has one. */
export function statedSha256(header: string | null): string | null {
  const match = /(?:^|,)\s*sha-256=:([A-Za-z0-9+/]+={0,2}):/.exec(header ?? "");
  return match?.[1] ?? null;
}
