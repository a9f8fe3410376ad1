import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tick } from "@leadflow/runtime";
import { createApiClient, type ApiClient } from "./client/index.js";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { demoRequest, handoffFlow, pricingView, reps, scoringModel, warmIntro } from "./testing/scenario.js";

/**
 * The spine's scenario driven by the generated client (types from the OpenAPI document), on a
 * server that checks every answer against its documented schema: a path, a body or an answer
 * that left the document fails here (typecheck or 500), not in an integrator's code.
 */
describe.each(testDatabaseKinds)("the scenario through the generated client on %s", (kind) => {
  let s: TestServer;
  let api: ApiClient;
  beforeAll(async () => {
    s = await startTestServer(kind, { app: { checkResponses: true } });
    api = createApiClient(s.url, { apiKey: s.key });
  });
  afterAll(() => s?.close());

  const mailsTo = async (to: string) => (await s.ctx.deps.db.selectFrom("mailbox").select(["to_address", "subject"]).execute()).filter((m) => m.to_address === to);

  it("sets up the hand-off: model, template, reps, flow, publish", async () => {
    expect((await api.PUT("/api/v1/scoring-model", { body: scoringModel as never })).response.status).toBe(200);
    expect((await api.PUT("/api/v1/templates/{id}", { params: { path: { id: "warm-intro" } }, body: warmIntro })).data).toMatchObject({ id: "warm-intro" });
    expect((await api.PUT("/api/v1/reps", { body: reps })).data?.reps.map((r) => r.id)).toEqual(["rep1", "rep2"]);
    expect((await api.PUT("/api/v1/flows/{id}", { params: { path: { id: "hand-off" } }, body: handoffFlow as never })).response.status).toBe(200);
    const published = await api.POST("/api/v1/flows/{id}/publish", { params: { path: { id: "hand-off" } } });
    expect(published.data).toEqual({ id: "hand-off", version: 1 });
  });

  it("creates Anna, scores her events to Warm with an owner and sends one e-mail", async () => {
    const created = await api.PUT("/api/v1/leads", { body: { email: "anna@example.hu", properties: { firstName: "Anna", country: "HU" } } });
    expect(created.response.status).toBe(201);
    expect(created.data?.email).toBe("anna@example.hu");
    const sent = await api.POST("/api/v1/events", {
      params: { query: { wait: "true" } },
      body: { events: [demoRequest("anna@example.hu"), pricingView("anna@example.hu"), pricingView("ANNA@example.hu")] },
    });
    expect(sent.data).toEqual({ accepted: 3, duplicates: 0, errors: [] });
    const anna = (await api.GET("/api/v1/leads/{key}", { params: { path: { key: "anna@example.hu" } } })).data!;
    expect(anna.scores).toMatchObject({ fit: 0, engagement: 50, total: 50 });
    expect(anna.tier).toBe("Warm");
    expect(anna.owner?.id).toBe("rep1");
    expect(anna.ledger.map((l) => l.nodeId)).toEqual(["p-demo", "p-pricing", "p-pricing"]);
    await tick(s.ctx.deps, s.clock.now());
    expect(await mailsTo("anna@example.hu")).toEqual([{ to_address: "anna@example.hu", subject: "Anna, let's talk" }]);
  });

  it("answers refusals in the documented error shape", async () => {
    const bad = await api.POST("/api/v1/events", { body: { events: [] } });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.error.code).toBe("invalid_input");
    const missing = await api.GET("/api/v1/leads/{key}", { params: { path: { key: "nobody@example.com" } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBe("not_found");
    const anonymous = await createApiClient(s.url).GET("/api/v1/flows");
    expect(anonymous.response.status).toBe(401);
  });

  it("reads the other documented answers without a mismatch", async () => {
    expect((await api.GET("/api/v1/flows")).data?.flows.map((f) => f.id)).toEqual(["hand-off"]);
    expect((await api.GET("/api/v1/outbox", { params: { query: { status: "sent" } } })).data?.jobs.length).toBeGreaterThan(0);
    expect((await api.GET("/api/v1/webhook-secret")).data).toEqual({ exists: false, createdAt: null });
    const key = await api.POST("/api/v1/site-keys", { body: { name: "Shop" } });
    expect(key.response.status).toBe(201);
    expect((await api.GET("/api/v1/site-keys")).data?.siteKeys.map((k) => k.name)).toEqual(["Shop"]);
    expect((await api.DELETE("/api/v1/site-keys/{id}", { params: { path: { id: key.data!.id } } })).response.status).toBe(204);
    for (const path of ["/api/v1/scoring-model", "/api/v1/workspace", "/api/v1/event-names", "/api/v1/email-settings", "/api/v1/reps"] as const) {
      expect((await api.GET(path)).response.status, path).toBe(200);
    }
  });
});
