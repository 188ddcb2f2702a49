import { describe, expect, it } from "vitest";
import { parseUpiPayUrl, upiPayUrl } from "./upi-intent-url.js";

const request = { pa: "shop@gwy", pn: "Chai & Co", tr: "GWYa1b2c3", amountPaise: 49900, tn: "Order #42", mc: "5812" };

describe("upi://pay URLs", () => {
  it("writes the NPCI linking parameters, percent-encoded, amount in rupees and currency INR", () => {
    expect(upiPayUrl(request)).toBe(
      "upi://pay?pa=shop%40gwy&pn=Chai%20%26%20Co&tr=GWYa1b2c3&am=499.00&cu=INR&tn=Order%20%2342&mc=5812",
    );
    expect(upiPayUrl({ pa: "shop@gwy", pn: "Shop", tr: "T1", amountPaise: 100 })).toBe(
      "upi://pay?pa=shop%40gwy&pn=Shop&tr=T1&am=1.00&cu=INR",
    );
  });

  it("reads back what it writes", () => {
    expect(parseUpiPayUrl(upiPayUrl(request))).toEqual(request);
    const bare = { pa: "shop@gwy", pn: "Shop", tr: "T1", amountPaise: 1 };
    expect(parseUpiPayUrl(upiPayUrl(bare))).toEqual(bare);
  });

  it("ignores parameters it does not use and reads + as a space", () => {
    expect(parseUpiPayUrl("upi://pay?pa=shop@gwy&pn=My+Shop&tr=T1&am=10.00&tid=x&url=https://x")).toEqual({
      pa: "shop@gwy",
      pn: "My Shop",
      tr: "T1",
      amountPaise: 1000,
    });
  });

  it("refuses URLs this gateway could not have made", () => {
    const bad = [
      "https://pay?pa=shop@gwy&pn=S&tr=T1&am=1.00",
      "upi://collect?pa=shop@gwy&pn=S&tr=T1&am=1.00",
      "upi://pay?pn=S&tr=T1&am=1.00",
      "upi://pay?pa=not-a-vpa&pn=S&tr=T1&am=1.00",
      "upi://pay?pa=shop@gwy&pn=S&tr=T1&am=1",
      "upi://pay?pa=shop@gwy&pn=S&tr=T1",
      "upi://pay?pa=shop@gwy&pn=S&tr=T1&am=1.00&cu=USD",
      "upi://pay?pa=shop@gwy&pa=evil@gwy&pn=S&tr=T1&am=1.00",
      "upi://pay?pa=shop@gwy&pn=S&tr=T1&am=1.00&mc=58",
      "upi://pay?pa=shop@gwy&pn=%0A&tr=T1&am=1.00",
      `upi://pay?pa=shop@gwy&pn=S&tr=${"T".repeat(36)}&am=1.00`,
    ];
    for (const url of bad) expect(parseUpiPayUrl(url), url).toBeNull();
  });

  it("refuses to write an invalid request", () => {
    expect(() => upiPayUrl({ ...request, pa: "nope" })).toThrow(RangeError);
    expect(() => upiPayUrl({ ...request, amountPaise: -1 })).toThrow(RangeError);
  });
});
