import { describe, expect, it } from "vitest";
import { webhookUrlProblem } from "./webhook-url-policy.js";

const deployed = { localReceivers: false };
const local = { localReceivers: true };

describe("the webhook URL rule", () => {
  it("accepts https to public hosts in every spelling", () => {
    for (const url of [
      "https://hooks.example.com/in",
      "https://hooks.example.com./in",
      "https://例え.jp/hooks",
      "https://93.184.215.14:8443/hooks",
      "https://[2606:4700::1111]/hooks",
      "https://[::ffff:93.184.215.14]/hooks",
      "https://[64:ff9b::93.184.215.14]/hooks",
      "https://[2002:5db8:d70e::1]/hooks",
      "https://100.128.0.1/", // just past CGNAT's 100.64.0.0/10
      "https://172.32.0.1/", // just past 172.16.0.0/12
    ]) {
      expect(webhookUrlProblem(url, deployed), url).toBeNull();
    }
  });

  it("lets the local switch add http and loopback, nothing more", () => {
    for (const url of [
      "http://127.0.0.1:9/hooks",
      "http://[::1]:9/",
      "http://localhost:9/",
      "http://hooks.example.com/",
    ]) {
      expect(webhookUrlProblem(url, local), url).toBeNull();
      expect(webhookUrlProblem(url, deployed), url).not.toBeNull();
    }
    for (const url of [
      "http://10.0.0.1/",
      "http://169.254.169.254/",
      "http://[fd00:ec2::254]/",
      "http://db.internal/",
    ]) {
      expect(webhookUrlProblem(url, local), url).not.toBeNull();
    }
  });

  it("refuses what is not a URL, or not http(s)", () => {
    expect(webhookUrlProblem("not a url", local)).toMatch(/not a valid URL/);
    expect(webhookUrlProblem("ftp://hooks.example.com/", local)).toMatch(/https/);
  });
});
