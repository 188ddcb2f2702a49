import { describe, expect, it } from "vitest";
import { tokenizationOriginProblem } from "./tokenization-origin-policy.js";

const deployed = { localDevelopment: false };
const local = { localDevelopment: true };

describe("the tokenization origin rule", () => {
  it("accepts https origins everywhere", () => {
    for (const origin of ["https://shop.example", "https://shop.example:8443", "https://127.0.0.1:3000"]) {
      expect(tokenizationOriginProblem(origin, deployed), origin).toBeNull();
      expect(tokenizationOriginProblem(origin, local), origin).toBeNull();
    }
  });

  it("refuses http outside local development, even on loopback", () => {
    for (const origin of [
      "http://shop.example",
      "http://localhost:3000",
      "http://127.0.0.1:8790",
      "http://[::1]:3000",
    ]) {
      expect(tokenizationOriginProblem(origin, deployed), origin).toMatch(/must use https/);
    }
  });

  it("lets local development add http on loopback hosts, nothing more", () => {
    for (const origin of ["http://localhost:3000", "http://127.0.0.1:8790", "http://127.1.2.3", "http://[::1]:3000"]) {
      expect(tokenizationOriginProblem(origin, local), origin).toBeNull();
    }
    for (const origin of [
      "http://shop.example",
      "http://10.0.0.1",
      "http://192.168.1.10:3000",
      "http://localhost.shop.example",
    ]) {
      expect(tokenizationOriginProblem(origin, local), origin).toMatch(/must use https/);
    }
  });
});
