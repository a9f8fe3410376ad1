import { describe, expect, it } from "vitest";
import { signToken, verifyToken } from "./tracking-token.js";
import { detectMachine } from "./machine-traffic.js";
import { maskEmail } from "./email-tracking.js";

const key = Buffer.from("k".repeat(32));
const jobId = "0b7c2a2e-8f1d-4d6e-9a51-3c0f7d1e2b4a";
const leadId = "5f0e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f";

describe("tracking tokens", () => {
  it("round-trips each kind and binds the kind, the ids and the link", () => {
    const click = signToken(key, { kind: "click", jobId, leadId, url: "https://ex.com/a?b=1&c=ü" });
    expect(verifyToken(key, click, "click")).toEqual({ kind: "click", jobId, leadId, url: "https://ex.com/a?b=1&c=ü" });
    expect(verifyToken(key, click, "open")).toBeUndefined();
    const open = signToken(key, { kind: "open", jobId, leadId });
    expect(verifyToken(key, open, "open")).toEqual({ kind: "open", jobId, leadId });
    expect(verifyToken(key, open, "unsubscribe")).toBeUndefined();
    expect(verifyToken(Buffer.from("x".repeat(32)), open, "open")).toBeUndefined();
  });

  it("refuses any altered byte, and malformed input", () => {
    const token = signToken(key, { kind: "unsubscribe", jobId, leadId });
    const [body, sig] = token.split(".") as [string, string];
    const payload = Buffer.from(body, "base64url");
    for (let i = 0; i < payload.length; i++) {
      const altered = Buffer.from(payload);
      altered[i] = altered[i]! ^ 1;
      expect(verifyToken(key, `${altered.toString("base64url")}.${sig}`, "unsubscribe")).toBeUndefined();
    }
    for (const bad of ["", ".", body, `${body}.`, `${body}.${sig}.x`, `${body}.${sig.slice(1)}`, `${body}.${sig}=`, "a".repeat(5000)]) {
      expect(verifyToken(key, bad, "unsubscribe")).toBeUndefined();
    }
  });

  it("only carries http(s) links", () => {
    const js = signToken(key, { kind: "click", jobId, leadId, url: "javascript:alert(1)" });
    expect(verifyToken(key, js, "click")).toBeUndefined();
  });
});

describe("detectMachine", () => {
  it.each([
    ["Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)", "1.2.3.4", "google image proxy"],
    ["YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html", "1.2.3.4", "yahoo mail proxy"],
    ["Mozilla/5.0", "1.2.3.4", "apple mail privacy protection"],
    ["Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15", "17.58.101.3", "apple mail privacy protection"],
    ["Mozilla/5.0 (compatible; BingPreview/1.0b)", "1.2.3.4", "outlook proxy or safe links"],
    ["python-requests/2.31", "1.2.3.4", "automated client"],
    ["", "1.2.3.4", "no user agent"],
  ])("%s from %s is a machine (%s)", (userAgent, ip, reason) => {
    expect(detectMachine({ userAgent, ip })).toEqual({ machine: true, reason });
  });

  it("takes an ordinary browser or mail client for a person", () => {
    expect(detectMachine({ userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", ip: "84.1.2.3" })).toEqual({ machine: false });
    expect(detectMachine({ userAgent: "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029)", ip: "84.1.2.3" })).toEqual({ machine: false });
  });
});

describe("maskEmail", () => {
  it("keeps the first two characters and the domain", () => {
    expect(maskEmail("anna.smith@example.com")).toBe("an******@example.com");
    expect(maskEmail("a@example.com")).toBe("a*@example.com");
  });
});
