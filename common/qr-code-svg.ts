// The encoder alone (no canvas, PNG or file renderer): pure JavaScript, so it runs in workerd.
import { create } from "qrcode/lib/core/qrcode.js";

/**
 * `text` as a QR code (ISO/IEC 18004, error correction level M, as the UPI QR specification
 * asks), drawn as an SVG data URL: an image any browser shows and any UPI app scans, made
 * without a canvas, so the edge can answer with it.
 */
export function qrCodeSvgDataUrl(text: string): string {
  const { modules } = create(text, { errorCorrectionLevel: "M" });
  const quiet = 4; // the four-module quiet zone the standard requires around the symbol
  const size = modules.size + quiet * 2;
  let path = "";
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (modules.data[row * modules.size + column]) path += `M${column + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}
