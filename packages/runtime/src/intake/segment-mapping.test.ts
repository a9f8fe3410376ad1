import { describe, expect, it } from "vitest";
import { eventTime, eventTypeFor, mapSegmentMessage } from "./segment-mapping.js";

const now = new Date("2026-11-02T09:00:00.000Z");
const ctx = { now, eventNames: { "Order Completed": "purchase" } };

describe("Segment names as event types", () => {
  it("uses the workspace's mapping, exact then ignoring case, else a slug", () => {
    expect(eventTypeFor("Order Completed", ctx.eventNames)).toBe("purchase");
    expect(eventTypeFor("order completed", ctx.eventNames)).toBe("purchase");
    expect(eventTypeFor("Signed Up", {})).toBe("signed_up");
    expect(eventTypeFor("Démo requested!", {})).toBe("demo_requested");
    expect(eventTypeFor("!!!", {})).toBe("track");
    expect(eventTypeFor(`${"a".repeat(99)} b`, {})).toMatch(/^a{99}$/);
  });
});

describe("Segment event time", () => {
  it("takes timestamp, else originalTimestamp moved by the clock skew, never ahead of now", () => {
    expect(new Date(eventTime({ timestamp: "2026-10-01T00:00:00Z" }, ctx) as number).toISOString()).toBe("2026-10-01T00:00:00.000Z");
    // the client's clock is 1 h fast: sent "10:00", happened "09:30" on its clock → 08:30 real
    const skewed = eventTime({ originalTimestamp: "2026-11-02T09:30:00Z", sentAt: "2026-11-02T10:00:00Z" }, ctx) as number;
    expect(new Date(skewed).toISOString()).toBe("2026-11-02T08:30:00.000Z");
    expect(eventTime({ timestamp: "2030-01-01T00:00:00Z" }, ctx)).toBe(now.getTime());
    expect(eventTime({}, ctx)).toBe(now.getTime());
    expect(eventTime({ timestamp: "soon" }, ctx)).toMatch(/timestamp/);
  });
});

describe("Segment messages as Leadflow events", () => {
  it("maps a page call with context.page and campaign, keeping the ids", () => {
    const r = mapSegmentMessage(
      { messageId: "m1", anonymousId: "a1", name: "Pricing", context: { page: { url: "https://x.io/pricing?a=1", title: "P", referrer: "https://g.co" }, campaign: { source: "news", name: "fall" } } },
      "page",
      ctx,
    );
    expect(r).toEqual({
      ok: true,
      event: {
        id: "segment:m1", anonymousId: "a1", type: "page_view", occurredAt: now.toISOString(),
        properties: { url: "https://x.io/pricing?a=1", path: "/pricing", title: "P", referrer: "https://g.co", name: "Pricing", utm_source: "news", utm_campaign: "fall" },
      },
    });
  });

  it("keeps a track name in properties.event, takes the e-mail from context.traits, an alias's previousId as anonymous id", () => {
    const t = mapSegmentMessage({ type: "track", userId: 7, event: "Order Completed", properties: { total: 3 }, context: { traits: { email: "a@b.co" } } }, undefined, ctx);
    expect(t).toMatchObject({ ok: true, event: { type: "purchase", userId: "7", email: "a@b.co", properties: { total: 3, event: "Order Completed" } } });
    const a = mapSegmentMessage({ type: "alias", previousId: "anon", userId: "u" }, undefined, ctx);
    expect(a).toMatchObject({ ok: true, event: { type: "alias", anonymousId: "anon", userId: "u" } });
  });

  it("refuses what cannot be an event, with a sentence", () => {
    expect(mapSegmentMessage({ type: "track", userId: "u" }, undefined, ctx)).toMatchObject({ ok: false, message: expect.stringContaining("event name") });
    expect(mapSegmentMessage({ type: "track", event: "x" }, undefined, ctx)).toMatchObject({ ok: false, message: expect.stringContaining("userId or an anonymousId") });
    expect(mapSegmentMessage({ type: "boot", userId: "u" }, undefined, ctx)).toMatchObject({ ok: false, message: expect.stringContaining("one of track") });
    expect(mapSegmentMessage([], "track", ctx)).toMatchObject({ ok: false });
    expect(mapSegmentMessage({ userId: "u", event: "x\u0000" }, "track", ctx)).toMatchObject({ ok: false, message: expect.stringContaining("NUL") });
    expect(mapSegmentMessage({ userId: "u", event: "x", properties: { a: "y".repeat(40_000) } }, "track", ctx)).toMatchObject({ ok: false, message: expect.stringContaining("32 KB") });
  });
});
