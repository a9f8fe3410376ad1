import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, tick } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { demoRequest, pricingView, setUpHandOff } from "./testing/scenario.js";

/** Every variable a lead has, in the subject (the one part sending does not rewrite for tracking). */
const everyVariable = {
  subject: "{{ lead.id }}|{{ lead.email }}|{{ lead.stage }}|{{ lead.tier }}|{{ lead.score }}|{{ lead.scores.fit }}|{{ lead.scores.engagement }}|{{ owner.name }}",
  html: "<p>Hi {{ lead.firstName }}</p>",
};

// The preview (tRPC templates.preview) once built its own lead without id, stage and scores, and
// its own sample lead and owner; sending and the test send used others. One builder now serves all.
describe.each(testDatabaseKinds)("template variables in the preview, the test send and sending on %s", (kind) => {
  let s: TestServer;
  let mia: string;
  beforeAll(async () => {
    s = await startTestServer(kind);
    await setUpHandOff(s);
    // the hand-off flow mails warm-intro at 50 points: make it show every variable
    expect((await s.api("PUT", "/api/v1/templates/warm-intro", everyVariable)).status).toBe(200);
    await createUser(s.ctx.deps.db, { email: "mia@example.com", password: "marketer password", role: "marketer" });
    mia = await s.signIn("mia@example.com", "marketer password");
  });
  afterAll(() => s?.close());

  const preview = async (leadEmail?: string) => {
    const r = await s.trpc("templates.preview", { template: everyVariable, ...(leadEmail ? { leadEmail } : {}) }, mia);
    expect(r.status).toBe(200);
    expect(r.body.result.data.ok).toBe(true);
    return r.body.result.data.subject as string;
  };

  it("previews a real lead's stage, scores, id and owner as sending puts them in its e-mail", async () => {
    const email = "vera@example.hu";
    await s.api("PUT", "/api/v1/leads", { email, properties: { firstName: "Vera", country: "HU" } });
    const r = await s.api("POST", "/api/v1/events?wait=true", { events: [demoRequest(email), pricingView(email), pricingView(email)] });
    expect(r.body.accepted).toBe(3);
    await tick(s.ctx.deps, s.clock.now());
    const sent = await s.ctx.deps.db.selectFrom("mailbox").select("subject").where("to_address", "=", email).execute();
    expect(sent).toHaveLength(1);
    const lead = (await s.api("GET", `/api/v1/leads/${email}`)).body;
    expect(sent[0]!.subject).toBe(
      `${lead.id}|${email}|${lead.stage}|${lead.tier}|${lead.scores.total}|${lead.scores.fit}|${lead.scores.engagement}|${lead.owner.name}`,
    );
    expect(await preview(email)).toBe(sent[0]!.subject);
  });

  it("previews the same sample lead the test send uses, with every variable filled in", async () => {
    const sample = await preview();
    const r = await s.api("POST", "/api/v1/templates/warm-intro/test", { to: "me@team.test" });
    expect(r.status).toBe(200);
    expect(r.body.subject).toBe(`[Test] ${sample}`);
    const [id, , stage, tier, score, fit, engagement, owner] = sample.split("|");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    for (const value of [stage, tier, score, fit, engagement, owner]) expect(value).not.toBe("");
  });
});
