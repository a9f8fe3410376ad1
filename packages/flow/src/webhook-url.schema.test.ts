import { describe, expect, it } from "vitest";
import { validate } from "./validate.js";
import { WebhookConfig } from "./nodes.schema.js";
import { WebhookUrl } from "./webhook-url.schema.js";

const flowWithWebhook = (url: unknown) => ({
  id: "f",
  name: "F",
  nodes: [
    { id: "t", type: "trigger.event", config: { eventType: "form_submit" } },
    { id: "hook", type: "webhook", config: { url } },
  ],
  edges: [{ from: "t", to: "hook" }],
});

const messageOf = (url: unknown) => {
  const r = WebhookUrl.safeParse(url);
  return r.success ? undefined : r.error.issues[0]!.message;
};

describe("webhook URL rule", () => {
  it.each([
    "https://example.com/hook",
    "http://example.com:8080/in?source=leadflow#x",
    "https://hooks.example.co.uk/a/b",
    "http://203.0.113.7/hook",
    "http://[2001:db8::1]:9000/hook",
    "HTTPS://EXAMPLE.COM/",
  ])("accepts %s", (url) => {
    expect(messageOf(url)).toBeUndefined();
  });

  it.each([
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_FLUSHALL",
    "data:text/plain,hello",
    "javascript:alert(document.cookie)",
    "JavaScript://example.com/%0aalert(1)",
    "ftp://example.com/x",
    "//example.com/hook",
    "example.com/hook",
    "ws://example.com/socket",
  ])("refuses %s at publish with the plain message", (url) => {
    expect(messageOf(url)).toBe("The webhook address must start with https:// or http://");
    const r = validate(flowWithWebhook(url));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: "bad_config", nodeId: "hook", message: expect.stringContaining("must start with https:// or http://") }),
    );
  });

  it("refuses credentials, a missing host, whitespace and over-long addresses", () => {
    expect(messageOf("https://user:pw@example.com/hook")).toBe("The webhook address must not contain a user name or password");
    expect(messageOf("https://token@example.com/hook")).toBe("The webhook address must not contain a user name or password");
    expect(messageOf("http://")).toBe("The webhook address must name a host, e.g. https://example.com/hook");
    expect(messageOf("http://:80/")).toBe("The webhook address must name a host, e.g. https://example.com/hook");
    expect(messageOf("https://exa mple.com/")).toBe("The webhook address must not contain spaces or control characters");
    expect(messageOf("https://example.com/\n")).toBe("The webhook address must not contain spaces or control characters");
    expect(messageOf(" https://example.com/")).toBe("The webhook address must not contain spaces or control characters");
    expect(messageOf(`https://example.com/${"a".repeat(2100)}`)).toMatch(/too long: at most 2,048 characters/);
    expect(messageOf(undefined)).toBe("Enter the webhook address, e.g. https://example.com/hook");
    expect(messageOf(42)).toBe("Enter the webhook address, e.g. https://example.com/hook");
  });

  it("a backslash cannot smuggle credentials past the check", () => {
    // WHATWG parses http://a\@b as host a: the part after the backslash is the path, so no credentials
    expect(messageOf("http://example.com\\@evil.test/")).toBeUndefined();
    expect(messageOf("http://evil.test@example.com\\x")).toBe("The webhook address must not contain a user name or password");
  });

  it("is the config schema of the webhook node (what the editor checks as you type)", () => {
    const r = WebhookConfig.safeParse({ url: "javascript:alert(1)" });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error.issues).toEqual([expect.objectContaining({ path: ["url"], message: "The webhook address must start with https:// or http://" })]);
    expect(WebhookConfig.parse({ url: "https://example.com/hook" })).toEqual({ url: "https://example.com/hook", method: "POST" });
  });
});
