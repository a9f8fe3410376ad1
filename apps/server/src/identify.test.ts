import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { setUpHandOff } from "./testing/scenario.js";

describe.each(testDatabaseKinds)("identifying a visitor on %s", (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
    await setUpHandOff(s);
  });
  afterAll(() => s?.close());

  it("credits an anonymous visitor's earlier views to the lead a form fill identifies, and keeps the form's fields", async () => {
    const views = [1, 2].map((i) => ({ id: `v${i}`, anonymousId: "cookie-1", type: "page_view", properties: { url: "/pricing" }, occurredAt: `2026-11-0${i}T10:00:00Z` }));
    expect((await s.api("POST", "/api/v1/events?wait=true", { events: views })).body).toEqual({ accepted: 2, duplicates: 0, errors: [] });
    expect((await s.api("GET", "/api/v1/leads/dora@example.com")).status).toBe(404);

    const form = { anonymousId: "cookie-1", email: "dora@example.com", type: "form_submit", properties: { url: "/contact", firstName: "Dora", country: "DE", company: "Dora GmbH" } };
    expect((await s.api("POST", "/api/v1/events?wait=true", { events: [form, { email: "dora@example.com", type: "demo_request" }] })).body.accepted).toBe(2);
    const dora = (await s.api("GET", "/api/v1/leads/dora@example.com")).body;
    expect(dora.properties).toEqual({ firstName: "Dora", country: "DE", company: "Dora GmbH" });
    expect(dora.scores).toMatchObject({ fit: 0, engagement: 50, total: 50 }); // DE is targeted: no −20
    expect(dora.ledger.map((l: { delta: number }) => l.delta)).toEqual([10, 10, 30]);
    expect(dora.tier).toBe("Warm");
    expect(dora.owner?.id).toBe("rep1");
  });
});
