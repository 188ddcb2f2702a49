import { paiseToRupees, rupeesToPaise } from "./upi-amount.js";
import { isUpiText } from "./upi-fields.js";
import { isVpa } from "./upi-vpa.js";

/**
 * The `upi://pay` URL an intent (and a QR code, which is this URL as an image) carries, NPCI UPI
 * Linking Specifications 1.6: `pa` payee VPA, `pn` payee name, `tr` the transaction reference,
 * `am` amount in rupees, `cu` currency (INR), `tn` note, `mc` merchant category code. Values are
 * percent-encoded; parameters this gateway does not use (`tid`, `url`, `mam`) are ignored.
 */
export interface UpiPayUrl {
  pa: string;
  pn: string;
  tr: string;
  amountPaise: number;
  tn?: string;
  mc?: string;
}

const TR_PATTERN = /^[A-Za-z0-9._-]{1,35}$/;
const MC_PATTERN = /^\d{4}$/;

function valid(p: UpiPayUrl): boolean {
  return (
    isVpa(p.pa) &&
    isUpiText(p.pn, 99) &&
    TR_PATTERN.test(p.tr) &&
    (p.tn === undefined || isUpiText(p.tn, 100)) &&
    (p.mc === undefined || MC_PATTERN.test(p.mc))
  );
}

export function upiPayUrl(p: UpiPayUrl): string {
  if (!valid(p)) throw new RangeError("not a valid upi://pay request");
  const params: [string, string | undefined][] = [
    ["pa", p.pa],
    ["pn", p.pn],
    ["tr", p.tr],
    ["am", paiseToRupees(p.amountPaise)],
    ["cu", "INR"],
    ["tn", p.tn],
    ["mc", p.mc],
  ];
  const query = params
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join("&");
  return `upi://pay?${query}`;
}

/** The request in a `upi://pay` URL, or null when it is not one this gateway could have made. */
export function parseUpiPayUrl(url: string): UpiPayUrl | null {
  if (typeof url !== "string" || !url.startsWith("upi://pay?") || url.length > 2048) return null;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(url.slice("upi://pay?".length));
  } catch {
    return null;
  }
  const single = (name: string): string | undefined | null => {
    const values = params.getAll(name);
    return values.length > 1 ? null : values[0];
  };
  const [pa, pn, tr, am, cu, tn, mc] = ["pa", "pn", "tr", "am", "cu", "tn", "mc"].map(single);
  if ([pa, pn, tr, am, cu, tn, mc].includes(null)) return null;
  if (cu !== undefined && cu !== "INR") return null;
  const amountPaise = am ? rupeesToPaise(am) : null;
  if (pa == null || pn == null || tr == null || amountPaise === null) return null;
  const parsed: UpiPayUrl = { pa, pn, tr, amountPaise };
  if (tn != null) parsed.tn = tn;
  if (mc != null) parsed.mc = mc;
  return valid(parsed) ? parsed : null;
}
