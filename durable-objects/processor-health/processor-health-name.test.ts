import { describe, expect, it } from "vitest";
import { parseProcessorHealthName, processorHealthName } from "./processor-health-name.js";

describe("processor health object names", () => {
  it("name one object per processor and mode", () => {
    expect(processorHealthName("acquirer_a", true)).toBe("acquirer_a:live");
    expect(processorHealthName("acquirer_a", false)).toBe("acquirer_a:test");
    expect(parseProcessorHealthName("aggregator:live")).toEqual({ processor: "aggregator", livemode: true });
    expect(parseProcessorHealthName("acquirer_b:test/drill-1")).toEqual({ processor: "acquirer_b", livemode: false });
  });

  it("are refused for an unknown processor or mode", () => {
    for (const name of [
      "acquirer_z:test",
      "acquirer_a",
      "acquirer_a:prod",
      "acquirer_a:test:live",
      "acquirer_a:test/",
      undefined,
    ]) {
      expect(parseProcessorHealthName(name)).toBeNull();
    }
  });
});
