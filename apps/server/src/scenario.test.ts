import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tick } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { demoRequest, handoffFlow, pricingView, setUpHandOff } from "./testing/scenario.js";

describe.each(testDatabaseKinds)("the spine's scenario through HTTP on %s", (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
    expect(await setUpHandOff(s)).toEqual({ id: "hand-off", version: 1 });
    expect((await s.api("PUT", "/api/v1/leads", { email: "anna@example.hu", properties: { firstName: "Anna", country: "HU" } })).status).toBe(201);
    expect((await s.api("PUT", "/api/v1/leads", { email: "ben@example.com", properties: { firstName: "Ben", country: "US" } })).status).toBe(201);
  });
  afterAll(() => s?.close());

  const mailbox = () =>
    s.ctx.deps.db.selectFrom("mailbox").select(["to_address", "subject", "html", "text"]).orderBy("id").execute();
  const deliver = () => tick(s.ctx.deps, s.clock.now());

  it("refuses a missing or wrong API key", async () => {
    expect((await s.api("GET", "/api/v1/leads/anna@example.hu", undefined, null)).status).toBe(401);
    const wrong = await s.api("GET", "/api/v1/leads/anna@example.hu", undefined, "lf_sk_nope");
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("unauthorized");
  });

  it("Anna (HU): demo + 2 pricing views reach 50, Warm, one e-mail, owner rep 1", async () => {
    const r = await s.api("POST", "/api/v1/events?wait=true", {
      events: [demoRequest("anna@example.hu"), pricingView("anna@example.hu"), pricingView("ANNA@example.hu")],
    });
    expect(r.body).toEqual({ accepted: 3, duplicates: 0, errors: [] });
    const anna = (await s.api("GET", "/api/v1/leads/anna@example.hu")).body;
    expect(anna.scores).toMatchObject({ fit: 0, engagement: 50, total: 50, categories: { pricing: 20, demo: 30 } });
    expect(anna.tier).toBe("Warm");
    expect(anna.stage).toBe("sql");
    expect(anna.owner).toEqual({ id: "rep1", name: "Rita One", email: "rita@sales.test" });
    expect(anna.ledger.map((l: { delta: number; nodeId: string; flowId: string }) => [l.delta, l.nodeId, l.flowId])).toEqual([
      [30, "p-demo", "hand-off"],
      [10, "p-pricing", "hand-off"],
      [10, "p-pricing", "hand-off"],
    ]);
    expect(anna.ledger.every((l: { eventId: string }) => typeof l.eventId === "string")).toBe(true);
    await deliver();
    const mails = await mailbox();
    const toAnna = mails.filter((m) => m.to_address === "anna@example.hu");
    expect(toAnna).toHaveLength(1);
    expect(toAnna[0]!.subject).toBe("Anna, let's talk");
    expect(toAnna[0]!.text).toContain("Hi Anna");
    const toRep = mails.filter((m) => m.to_address === "rita@sales.test");
    expect(toRep).toHaveLength(1);
    expect(toRep[0]!.text).toContain("anna@example.hu");
    expect(toRep[0]!.text).toContain("p-demo");
  });

  it("a fourth pricing view brings Anna to 60 and no second e-mail", async () => {
    await s.api("POST", "/api/v1/events?wait=true", { events: [pricingView("anna@example.hu")] });
    const anna = (await s.api("GET", "/api/v1/leads/anna@example.hu")).body;
    expect(anna.scores.total).toBe(60);
    await deliver();
    expect((await mailbox()).filter((m) => m.to_address === "anna@example.hu")).toHaveLength(1);
  });

  it("Ben (US, fit -20) reaches 50 at the fourth pricing view, one e-mail, owner rep 2; resending changes nothing", async () => {
    const events = [
      demoRequest("ben@example.com", "ben-1"),
      pricingView("ben@example.com", "ben-2"),
      pricingView("ben@example.com", "ben-3"),
      pricingView("ben@example.com", "ben-4"),
    ];
    expect((await s.api("POST", "/api/v1/events?wait=true", { events })).body).toEqual({ accepted: 4, duplicates: 0, errors: [] });
    let ben = (await s.api("GET", "/api/v1/leads/ben@example.com")).body;
    expect(ben.scores).toMatchObject({ fit: -20, engagement: 60, total: 40 });
    expect(ben.owner).toBeNull();
    expect(ben.fit).toEqual([{ field: "lead.country", op: "notIn", value: ["HU", "AT", "DE"], points: -20 }]);

    const fifth = pricingView("ben@example.com", "ben-5");
    expect((await s.api("POST", "/api/v1/events?wait=true", { events: [fifth] })).body.accepted).toBe(1);
    ben = (await s.api("GET", "/api/v1/leads/ben@example.com")).body;
    expect(ben.scores.total).toBe(50);
    expect(ben.tier).toBe("Warm");
    expect(ben.owner?.id).toBe("rep2");
    await deliver();
    expect((await mailbox()).filter((m) => m.to_address === "ben@example.com")).toHaveLength(1);

    const again = await s.api("POST", "/api/v1/events?wait=true", { events: [...events, fifth] });
    expect(again.body).toEqual({ accepted: 0, duplicates: 5, errors: [] });
    const after = (await s.api("GET", "/api/v1/leads/ben@example.com")).body;
    expect(after.scores).toEqual(ben.scores);
    expect(after.ledger).toHaveLength(ben.ledger.length);
    await deliver();
    expect((await mailbox()).filter((m) => m.to_address === "ben@example.com")).toHaveLength(1);
  });

  it("applies the good events of a batch and reports the malformed one by index", async () => {
    const r = await s.api("POST", "/api/v1/events?wait=true", {
      events: [
        { email: "carla@example.de", type: "page_view", properties: { url: "/home" } },
        { email: "not-an-email", type: "" },
        { email: "carla@example.de", type: "demo_request" },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(2);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0].index).toBe(1);
    expect(r.body.errors[0].message).toMatch(/email/);
    expect(r.body.errors[0].message).toMatch(/type/);
    const carla = (await s.api("GET", "/api/v1/leads/carla@example.de")).body;
    expect(carla.scores.total).toBe(30);
  });

  it("answers 400 for an unusable body and 422 with per-node issues for an invalid flow", async () => {
    const bad = await s.api("POST", "/api/v1/events?wait=true", { nope: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/events/);
    const broken = {
      ...handoffFlow,
      id: "broken",
      nodes: [...handoffFlow.nodes.filter((n) => n.id !== "mail"), { id: "mail", type: "email.send", config: { templateId: "missing" } }],
    };
    expect((await s.api("PUT", "/api/v1/flows/broken", broken)).status).toBe(200);
    const r = await s.api("POST", "/api/v1/flows/broken/publish");
    expect(r.status).toBe(422);
    expect(r.body.error.issues).toContainEqual(expect.objectContaining({ code: "unknown_template", nodeId: "mail" }));
    expect((await s.api("GET", "/api/v1/flows/broken")).body.publishedVersion).toBeNull();
  });
});
