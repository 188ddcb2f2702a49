/** The part of `qrcode`'s encoder the gateway uses (its package types only the full renderer API). */
declare module "qrcode/lib/core/qrcode.js" {
  export function create(
    text: string,
    options?: { errorCorrectionLevel?: "L" | "M" | "Q" | "H" },
  ): { modules: { size: number; data: Uint8Array }; version: number };
}
