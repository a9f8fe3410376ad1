import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tick } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

const DAY = 86_400_000;

const pricingInterest = {
  id: "pricing-interest",
  name: "3 pricing visits in a week",
  reentry: "always",
  nodes: [
    { id: "t", type: "trigger.event", config: { eventType: "page_view", where: [
      { field: "behaviour.count.page_view.7d", where: [{ field: "event.properties.url", op: "glob", value: "/pricing/**" }], op: "gte", value: 3 },
    ] } },
    { id: "p", type: "score.add", config: { points: 30, category: "pricing" } },
  ],
  edges: [{ from: "t", to: "p" }],
};

const demoGoneQuiet = {
  id: "demo-gone-quiet",
  name: "Demo requested a month ago",
  reentry: "once",
  nodes: [
    { id: "t", type: "trigger.segment", config: { cron: "0 9 * * 1", where: [{ field: "behaviour.daysSince.demo_request", op: "gte", value: 30 }] } },
    { id: "p", type: "score.add", config: { points: 1, category: "demo-follow-up" } },
  ],
  edges: [{ from: "t", to: "p" }],
};

const winBack = {
  id: "win-back",
  name: "Quiet after browsing",
  reentry: "always",
  nodes: [
    { id: "t", type: "trigger.inactive", config: { days: 14 } },
    { id: "c", type: "condition", config: { where: [{ field: "behaviour.count.page_view.30d", op: "gte", value: 2 }] } },
    { id: "p", type: "score.add", config: { points: 2, category: "win-back" } },
  ],
  edges: [{ from: "t", to: "c" }, { from: "c", to: "p", port: "yes" }],
};

describe.each(testDatabaseKinds)("behaviour over time in conditions on %s", (kind) => {
  let s: TestServer;
  let t0: number;
  const ago = (days: number) => new Date(t0 - days * DAY).toISOString();
  const send = async (events: unknown[]) => {
    const r = await s.api("POST", "/api/v1/events?wait=true", { events });
    expect(r.status).toBe(200);
    expect(r.body.errors).toEqual([]);
  };
  const lead = async (email: string) => (await s.api("GET", `/api/v1/leads/${email}`)).body;
  const visit = (email: string, url: string, daysAgo: number) => ({ email, type: "page_view", properties: { url }, occurredAt: ago(daysAgo) });

  beforeAll(async () => {
    s = await startTestServer(kind);
    t0 = s.clock.now().getTime();
    const model = {
      tiers: [{ name: "Cold", min: 0 }, { name: "Warm", min: 30 }, { name: "Hot", min: 70 }],
      decay: { kind: "none" },
      fitRules: [{ field: "behaviour.count.page_view.30d", where: [{ field: "event.properties.url", op: "contains", value: "/docs" }], op: "gte", value: 3, points: 20 }],
    };
    expect((await s.api("PUT", "/api/v1/scoring-model", model)).status).toBe(200);
    for (const doc of [pricingInterest, demoGoneQuiet, winBack]) {
      expect((await s.api("PUT", `/api/v1/flows/${doc.id}`, doc)).status).toBe(200);
      expect((await s.api("POST", `/api/v1/flows/${doc.id}/publish`)).status).toBe(200);
    }
  });
  afterAll(() => s?.close());

  it("fires on the third pricing visit within a week, one request per visit, on real URLs", async () => {
    await send([visit("ann@example.com", "https://example.com/pricing?utm_source=x", 5)]);
    await send([visit("ann@example.com", "https://example.com/blog/pricing-tips", 4)]);
    await send([visit("ann@example.com", "/pricing/", 3)]);
    expect((await lead("ann@example.com")).scores.categories.pricing ?? 0).toBe(0);
    await send([visit("ann@example.com", "/PRICING/team", 1)]);
    const after = await lead("ann@example.com");
    expect(after.scores.categories.pricing).toBe(30);
    expect(after.ledger.filter((e: { flowId: string }) => e.flowId === "pricing-interest")).toHaveLength(1);
  });

  it("fires on the third visit inside one batch too, and not when the visits are spread over three weeks", async () => {
    await send([visit("bo@example.com", "/pricing", 6), visit("bo@example.com", "/pricing", 4), visit("bo@example.com", "/pricing", 0)]);
    expect((await lead("bo@example.com")).scores.categories.pricing).toBe(30);
    await send([visit("cy@example.com", "/pricing", 20), visit("cy@example.com", "/pricing", 12)]);
    await send([visit("cy@example.com", "/pricing", 4), visit("cy@example.com", "/pricing", 0)]);
    expect((await lead("cy@example.com")).scores.categories.pricing ?? 0).toBe(0);
  });

  it("an anonymous visitor's merged pricing visits count at their own times when it is identified, once", async () => {
    const anon = (url: string, daysAgo: number) => ({ anonymousId: "visitor-kim", type: "page_view", properties: { url }, occurredAt: ago(daysAgo) });
    await send([anon("/pricing", 3), anon("https://example.com/pricing/?utm_source=ad", 2), anon("/blog", 2)]);
    await send([anon("/PRICING", 1)]);
    await send([{ anonymousId: "visitor-kim", email: "kim@example.com", type: "form_submit", properties: { email: "kim@example.com" } }]);
    const merged = await lead("kim@example.com");
    expect(merged.scores.categories.pricing).toBe(30);
    await send([{ anonymousId: "visitor-kim", email: "kim@example.com", type: "form_submit", properties: { email: "kim@example.com" } }]);
    expect((await lead("kim@example.com")).scores.categories.pricing).toBe(30);
    // a later visit of the known lead counts the visitor's (still anonymous, mapped) events from the database
    await send([visit("kim@example.com", "/pricing", 0)]);
    expect((await lead("kim@example.com")).scores.categories.pricing).toBe(60);
  });

  it("a resent visit is a duplicate and does not count twice", async () => {
    const first = { ...visit("di@example.com", "/pricing", 2), id: "di-1" };
    await send([first, { ...visit("di@example.com", "/pricing", 1), id: "di-2" }]);
    const again = await s.api("POST", "/api/v1/events?wait=true", { events: [first] });
    expect(again.body.duplicates).toBe(1);
    expect((await lead("di@example.com")).scores.categories.pricing ?? 0).toBe(0);
  });

  it("a fit rule on visit frequency counts the lead's docs visits, and keeps counting when its properties change", async () => {
    await send([visit("hal@example.com", "/docs/a", 20), visit("hal@example.com", "/docs/b", 10), visit("hal@example.com", "/pricing", 5)]);
    expect((await lead("hal@example.com")).scores.fit).toBe(0);
    await send([visit("hal@example.com", "https://example.com/docs/c?ref=x", 1)]);
    expect((await lead("hal@example.com")).scores.fit).toBe(20);
    expect((await s.api("PUT", "/api/v1/leads", { email: "hal@example.com", properties: { jobTitle: "CTO" } })).status).toBe(200);
    expect((await lead("hal@example.com")).scores.fit).toBe(20);
  });

  it("a run started by trigger.inactive reads behaviour in its condition, as of the tick", async () => {
    await send([visit("ida@example.com", "/pricing", 20), visit("ida@example.com", "/docs", 18)]);
    await send([visit("jo@example.com", "/pricing", 20)]);
    await tick(s.ctx.deps, s.clock.now());
    expect((await lead("ida@example.com")).scores.categories["win-back"]).toBe(2);
    expect((await lead("jo@example.com")).scores.categories["win-back"] ?? 0).toBe(0);
  });

  it("a segment on days since the last demo_request picks only the lead whose request is 30 days old", async () => {
    await send([{ email: "ed@example.com", type: "demo_request", occurredAt: ago(40) }]);
    await send([{ email: "flo@example.com", type: "demo_request", occurredAt: ago(40) }, { email: "flo@example.com", type: "demo_request", occurredAt: ago(5) }]);
    await s.api("PUT", "/api/v1/leads", { email: "gus@example.com", properties: {} });
    // a segment flow seen for the first time waits for its next occurrence: next Monday 09:00
    await tick(s.ctx.deps, s.clock.now());
    s.clock.set(new Date(t0 + 7 * DAY).toISOString());
    await tick(s.ctx.deps, s.clock.now());
    const scored = async (email: string) => (await lead(email)).scores.categories["demo-follow-up"] ?? 0;
    expect(await scored("ed@example.com")).toBe(1);
    expect(await scored("flo@example.com")).toBe(0);
    expect(await scored("gus@example.com")).toBe(0);
  });
});
