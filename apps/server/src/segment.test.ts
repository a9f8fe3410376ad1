import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Analytics } from "@segment/analytics-node";
import RudderAnalytics from "@rudderstack/rudder-sdk-node";
import { createSiteKey } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { setUpHandOff } from "./testing/scenario.js";

const ordersFlow = {
  id: "orders",
  name: "Orders",
  reentry: "always",
  nodes: [
    { id: "t1", type: "trigger.event", config: { eventType: "order_completed" } },
    { id: "p1", type: "score.add", config: { points: 20, category: "orders" } },
  ],
  edges: [{ from: "t1", to: "p1" }],
};

const basic = (user: string) => `Basic ${Buffer.from(`${user}:`).toString("base64")}`;

describe.each(testDatabaseKinds)("the Segment-compatible API on %s", (kind) => {
  let s: TestServer;
  let writeKey: string;
  const post = async (path: string, body: unknown, headers: Record<string, string> = { authorization: basic(writeKey) }) => {
    const res = await fetch(s.url + path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const lead = async (email: string) => (await s.api("GET", `/api/v1/leads/${email}`)).body;

  beforeAll(async () => {
    s = await startTestServer(kind);
    await setUpHandOff(s); // pricing page view +10, demo_request +30
    expect((await s.api("PUT", "/api/v1/flows/orders", ordersFlow)).status).toBe(200);
    expect((await s.api("POST", "/api/v1/flows/orders/publish")).status).toBe(200);
    writeKey = (await createSiteKey(s.ctx.deps.db, { name: "Website", origins: [] })).key;
  });
  afterAll(() => s?.close());

  it("takes identify, page and track from @segment/analytics-node, and a resent batch is all duplicates", async () => {
    const analytics = new Analytics({ writeKey, host: s.url, flushAt: 50, flushInterval: 60_000, maxRetries: 0 });
    const sent: { body: string; status?: number }[] = [];
    analytics.on("http_request", (r) => sent.push({ body: r.body }));
    const failures: unknown[] = [];
    analytics.on("error", (e) => failures.push(e));
    analytics.identify({ userId: "seg-1", traits: { email: "sara@example.com", firstName: "Sara", title: "Director of Growth" } });
    analytics.page({ userId: "seg-1", name: "Pricing", properties: { url: "https://example.com/pricing", title: "Pricing" } });
    analytics.track({ userId: "seg-1", event: "Order Completed", properties: { revenue: 99 } });
    await analytics.closeAndFlush({ timeout: 20_000 });
    expect(failures).toEqual([]);
    expect(sent).toHaveLength(1);

    const sara = await lead("sara@example.com");
    expect(sara.properties).toMatchObject({ firstName: "Sara", jobTitle: "Director of Growth" });
    expect(sara.scores.engagement).toBe(30);
    expect(sara.scores.categories).toMatchObject({ orders: 20 });

    // the SDK's own request, sent again as it would on a retry: same messageIds, nothing new
    const replay = await post("/v1/batch", sent[0]!.body);
    expect(replay).toEqual({ status: 200, body: { success: true, accepted: 0, duplicates: 3, errors: [] } });
    expect((await lead("sara@example.com")).scores.engagement).toBe(30);
  });

  it("takes gzip batches from @rudderstack/rudder-sdk-node", async () => {
    const client = new RudderAnalytics(writeKey, { dataPlaneUrl: s.url, flushAt: 50, flushInterval: 60_000, retryCount: 0, logLevel: "error" });
    client.identify({ userId: "rud-1", anonymousId: "rud-anon", traits: { email: "rudi@example.com", company: { name: "Rudi AG" } } });
    client.page({ userId: "rud-1", anonymousId: "rud-anon", name: "Pricing", properties: { url: "https://example.com/pricing" } });
    client.track({ userId: "rud-1", anonymousId: "rud-anon", event: "Order Completed", properties: { revenue: 10 } });
    await client.flush();
    const rudi = await lead("rudi@example.com");
    expect(rudi.properties.company).toBe("Rudi AG");
    expect(rudi.scores.engagement).toBe(30);
  });

  it("refuses a wrong write key, a secret API key and a call without a key with 401; takes the key from the body too", async () => {
    const track = { type: "track", userId: "k-1", event: "Signed Up", messageId: "k-1" };
    expect((await post("/v1/track", track, { authorization: basic("lf_pk_wrong") })).status).toBe(401);
    expect((await post("/v1/track", track, { authorization: basic(s.key) })).status).toBe(401);
    expect((await post("/v1/batch", { batch: [track], writeKey: s.key }, {})).status).toBe(401);
    expect((await post("/v1/batch", { batch: [track] }, {})).status).toBe(401);
    const r = await post("/v1/batch", { batch: [track], writeKey }, {});
    expect(r).toEqual({ status: 200, body: { success: true, accepted: 1, duplicates: 0, errors: [] } });
    // a site key is not a secret API key either
    expect((await s.api("GET", "/api/v1/flows", undefined, writeKey)).status).toBe(403);
  });

  it("scores at the message's timestamp, or its originalTimestamp moved by the client's clock skew", async () => {
    const now = s.clock.now().getTime();
    const hour = 3_600_000;
    const r = await post("/v1/batch", {
      sentAt: new Date(now + hour).toISOString(), // the client's clock runs an hour fast
      batch: [
        { type: "identify", messageId: "t-0", userId: "t-1", traits: { email: "tim@example.com" } },
        { type: "page", messageId: "t-1", userId: "t-1", properties: { url: "https://example.com/pricing" }, timestamp: "2026-10-30T08:00:00.000Z" },
        { type: "track", messageId: "t-2", userId: "t-1", event: "Order Completed", originalTimestamp: new Date(now + hour - 24 * hour).toISOString() },
      ],
    });
    expect(r.body).toMatchObject({ accepted: 3, errors: [] });
    const at = (await lead("tim@example.com")).ledger.map((l: { at: string }) => l.at).sort();
    expect(at).toEqual(["2026-10-30T08:00:00.000Z", new Date(now - 24 * hour).toISOString()].sort());
  });

  it("skips a bad message of a batch, accepts the rest and says which one and why", async () => {
    const r = await post("/v1/batch", {
      batch: [
        { type: "track", messageId: "b-1", userId: "b-1", event: "Order Completed", traits: { email: "bea@example.com" } },
        { type: "track", messageId: "b-2", userId: "b-1" },
        { type: "launch", messageId: "b-3", userId: "b-1" },
        { type: "track", messageId: "b-4", event: "x" },
        { type: "track", messageId: "b-5", userId: "b-1", event: "Email Opened", timestamp: "yesterday" },
        "not an object",
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(1);
    expect(r.body.errors.map((e: { index: number }) => e.index)).toEqual([1, 2, 3, 4, 5]);
    expect(r.body.errors[0]).toMatchObject({ messageId: "b-2", message: expect.stringContaining("event name") });
    expect((await lead("bea@example.com")).scores.engagement).toBe(20);
  });

  it("refuses e-mail events a website could forge", async () => {
    const r = await post("/v1/track", { userId: "f-1", event: "Unsubscribe", traits: { email: "fay@example.com" } });
    expect(r.body).toMatchObject({ accepted: 0, errors: [{ index: 0, message: expect.stringContaining("cannot send unsubscribe") }] });
  });

  it("maps track names by the workspace's event names, and a group call sets the company", async () => {
    const put = await s.api("PUT", "/api/v1/event-names", { eventNames: { "Demo Requested": "demo_request" } });
    expect(put).toEqual({ status: 200, body: { eventNames: { "Demo Requested": "demo_request" } } });
    expect((await s.api("PUT", "/api/v1/event-names", { eventNames: { "Bad One": "not a type" } })).status).toBe(400);
    await post("/v1/identify", { userId: "g-1", traits: { email: "gus@example.com" } });
    expect((await post("/v1/track", { userId: "g-1", event: "Demo Requested" })).body.accepted).toBe(1);
    expect((await post("/v1/group", { userId: "g-1", groupId: "acme", traits: { name: "Acme", website: "https://www.acme.io/about", employees: 250 } })).body.accepted).toBe(1);
    const gus = await lead("gus@example.com");
    expect(gus.scores.engagement).toBe(30);
    // identify and group say who someone is; only the track moved the last activity
    const row = await s.ctx.deps.db.selectFrom("leads").select("last_activity_at").where("id", "=", gus.id).executeTakeFirstOrThrow();
    expect(new Date(row.last_activity_at!).toISOString()).toBe(s.clock.now().toISOString());
    await post("/v1/identify", { userId: "g-2", traits: { email: "quiet@example.com" } });
    await post("/v1/group", { userId: "g-2", groupId: "acme", traits: { name: "Acme" } });
    const quiet = await lead("quiet@example.com");
    const quietRow = await s.ctx.deps.db.selectFrom("leads").select("last_activity_at").where("id", "=", quiet.id).executeTakeFirstOrThrow();
    expect(quietRow.last_activity_at).toBeNull();
    expect(gus.properties).toMatchObject({ company: "Acme", companyDomain: "acme.io", companySize: 250, groupId: "acme" });
  });

  it("answers 413 past 32 KB a call and 500 KB a batch, gzip counted inflated", async () => {
    const big = { userId: "z-1", event: "Big", properties: { blob: "x".repeat(40 * 1024) } };
    expect((await post("/v1/track", big)).status).toBe(413);
    const bomb = gzipSync(JSON.stringify({ batch: [{ type: "track", userId: "z", event: "x", properties: { blob: "y".repeat(600 * 1024) } }] }));
    expect(bomb.length).toBeLessThan(10 * 1024);
    const r = await post("/v1/batch", bomb, { authorization: basic(writeKey), "content-encoding": "gzip" });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("payload_too_large");
    expect((await post("/v1/batch", "{not json")).status).toBe(400);
  });

  it("answers 429 past its rate limit", async () => {
    let status = 0;
    for (let i = 0; i < 700 && status !== 429; i++) status = (await post("/v1/track", {}, {})).status;
    expect(status).toBe(429);
  });
});
