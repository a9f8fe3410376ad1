import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSiteKey } from "@leadflow/runtime";
import { INTAKE_MAX_EVENTS } from "./http/snippet.js";
import { RATE_LIMITS } from "./http/rate-limit.js";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

const SHOP = "http://shop.127.0.0.1.test:8080";

describe.each(testDatabaseKinds)("the snippet and its intake (%s)", (kind) => {
  let s: TestServer;
  let shopKey: string;
  let anyKey: string;
  let lastOctet = 0;
  const newAddress = () => `203.0.113.${++lastOctet}`;
  beforeAll(async () => {
    s = await startTestServer(kind, { app: { trustProxy: true } });
    shopKey = (await createSiteKey(s.ctx.deps.db, { name: "Shop", origins: [SHOP] })).key;
    anyKey = (await createSiteKey(s.ctx.deps.db, { name: "Anywhere" })).key;
  });
  afterAll(() => s?.close());

  const send = (body: unknown, headers: Record<string, string> = {}, raw?: string) =>
    fetch(`${s.url}/t/e`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", "x-forwarded-for": newAddress(), ...headers },
      body: raw ?? JSON.stringify(body),
    });
  const eventsOf = (anonymousId: string) => s.ctx.deps.db.selectFrom("events").select(["type", "lead_id"]).where("anonymous_id", "=", anonymousId).execute();

  it("serves the snippet small, cacheable and loadable from other sites", async () => {
    const res = await fetch(`${s.url}/t/p.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/javascript/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^".+"$/);
    const script = await res.text();
    expect(script).toContain("data-site-key");
    expect(gzipSync(Buffer.from(script)).length).toBeLessThan(3 * 1024);
    expect(() => new Function(script)).not.toThrow(); // still parses after comments and indentation are stripped
    const again = await fetch(`${s.url}/t/p.js`, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
  });

  it("takes a beacon's text/plain batch from an allowed origin, echoes that origin, and dedupes by id", async () => {
    const events = [
      { id: "pv-1", type: "page_view", anonymousId: "aid-allowed", properties: { url: `${SHOP}/pricing`, path: "/pricing" }, occurredAt: "2026-11-01T09:00:00Z" },
      { id: "pv-2", type: "Order Completed", anonymousId: "aid-allowed", properties: {} },
    ];
    const res = await send({ siteKey: shopKey, events }, { origin: SHOP });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(SHOP);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, errors: [{ index: 1, message: expect.stringMatching(/^type:/) }] });
    const resent = await send({ siteKey: shopKey, events: [events[0]] }, { origin: SHOP });
    expect(await resent.json()).toEqual({ accepted: 0, duplicates: 1, errors: [] });
    expect(await eventsOf("aid-allowed")).toEqual([{ type: "page_view", lead_id: null }]);
  });

  it("refuses another origin (403, nothing stored, no CORS grant) and answers the preflight", async () => {
    const res = await send({ siteKey: shopKey, events: [{ id: "x-1", type: "page_view", anonymousId: "aid-evil" }] }, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(await eventsOf("aid-evil")).toEqual([]);

    const any = await send({ siteKey: anyKey, events: [{ type: "page_view", anonymousId: "aid-any" }] }, { origin: "https://evil.example" });
    expect(any.status).toBe(200);
    expect(any.headers.get("access-control-allow-origin")).toBe("https://evil.example");

    const preflight = await fetch(`${s.url}/t/e`, {
      method: "OPTIONS",
      headers: { origin: SHOP, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(SHOP);
    expect(preflight.headers.get("access-control-allow-methods")).toBe("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("content-type");
  });

  it("refuses an unknown or revoked key with 401, and per event what a site key may not write", async () => {
    expect((await send({ siteKey: "lf_pk_unknown", events: [{ type: "page_view", anonymousId: "a" }] })).status).toBe(401);
    expect((await send({ siteKey: s.key, events: [{ type: "page_view", anonymousId: "a" }] })).status).toBe(401);
    const res = await send(
      {
        siteKey: anyKey,
        events: [
          { type: "email_open", email: "victim@example.com" },
          { type: "unsubscribe", email: "victim@example.com" },
          { type: "email_bounce", email: "victim@example.com" },
          { type: "deal_won", email: "victim@example.com" },
          { type: "page_view", leadId: "00000000-0000-4000-8000-000000000000" },
          { type: "form_submit", email: "visitor@example.com", anonymousId: "aid-form", properties: { company: "Acme" } },
        ],
      },
      { "content-type": "application/json" },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accepted: number; errors: { index: number }[] };
    expect(body.accepted).toBe(1);
    expect(body.errors.map((e) => e.index)).toEqual([0, 1, 2, 3, 4]);
    expect((await s.api("GET", "/api/v1/leads/victim@example.com")).status).toBe(404);
    expect((await s.api("GET", "/api/v1/leads/visitor@example.com")).body.properties).toEqual({ company: "Acme" });
  });

  it("answers 413 past 64 KiB or 50 events, 400 for a body that is not JSON", async () => {
    const big = await send({ siteKey: anyKey, events: [{ type: "page_view", anonymousId: "big", properties: { pad: "x".repeat(70 * 1024) } }] });
    expect(big.status).toBe(413);
    const many = Array.from({ length: INTAKE_MAX_EVENTS + 1 }, (_, i) => ({ id: `many-${i}`, type: "page_view", anonymousId: "aid-many" }));
    const tooMany = await send({ siteKey: anyKey, events: many });
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    expect(await eventsOf("aid-many")).toEqual([]);
    expect((await send(undefined, {}, "not json")).status).toBe(400);
  });

  it("answers 429 with Retry-After past the per-address limit, and only for that address", async () => {
    const ip = newAddress();
    for (let i = 0; i < RATE_LIMITS.intake.max; i++) {
      const res = await send({ siteKey: "garbage", events: [] }, { "x-forwarded-for": ip });
      expect(res.status).toBe(400);
      await res.arrayBuffer();
    }
    const over = await send({ siteKey: anyKey, events: [{ type: "page_view", anonymousId: "aid-limited" }] }, { "x-forwarded-for": ip });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await eventsOf("aid-limited")).toEqual([]);
    expect((await send({ siteKey: anyKey, events: [{ type: "page_view", anonymousId: "aid-other" }] })).status).toBe(200);
  });
});
