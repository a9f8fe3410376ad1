import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { demoRequest, handoffFlow, pricingView, reps, warmIntro } from "./testing/scenario.js";

/** The web app's delivery, decay-preview, workspace and test-send procedures over real HTTP. */
describe.each(testDatabaseKinds)("tRPC delivery and previews on %s", (kind) => {
  let s: TestServer;
  let mia: string;
  let rita: string;
  beforeAll(async () => {
    s = await startTestServer(kind);
    await createUser(s.ctx.deps.db, { email: "mia@example.com", password: "marketer password", role: "marketer" });
    await createUser(s.ctx.deps.db, { email: "rita@sales.test", password: "sales password", role: "sales" });
    mia = await signIn("mia@example.com", "marketer password");
    rita = await signIn("rita@sales.test", "sales password");
    expect((await s.api("PUT", "/api/v1/templates/warm-intro", warmIntro)).status).toBe(200);
    expect((await s.api("PUT", "/api/v1/reps", reps)).status).toBe(200);
    expect((await call("flows.saveDraft", { id: "hand-off", document: handoffFlow }, mia)).status).toBe(200);
    expect((await call("flows.publish", { id: "hand-off" }, mia)).status).toBe(200);
    // anna: 30 + 10 + 10 = 50 → the e-mail step queues a job; zed: 30, no e-mail
    const events = [demoRequest("anna@example.hu"), pricingView("anna@example.hu"), pricingView("anna@example.hu"), demoRequest("zed@example.com")];
    expect((await s.api("POST", "/api/v1/events?wait=true", { events })).status).toBe(200);
  });
  afterAll(() => s?.close());

  const call = (path: string, input: unknown, cookie?: string, method: "GET" | "POST" = "POST") => s.trpc(path, input, cookie, method);

  const signIn = (email: string, password: string) => s.signIn(email, password);

  const noStack = (body: unknown) => expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.ts:\d/);

  it("lists outbox jobs by status and retries a dead one", async () => {
    const all = await call("outbox.list", {}, mia, "GET");
    expect(all.status).toBe(200);
    const job = all.body.result.data.find((j: { leadEmail: string; jobType: string }) => j.leadEmail === "anna@example.hu" && j.jobType === "email");
    expect(job).toMatchObject({ jobType: "email", templateId: "warm-intro", flowId: "hand-off", nodeId: "mail" });
    expect((await call("outbox.list", { status: "dead" }, mia, "GET")).body.result.data).toEqual([]);

    // the job gave up: five failed attempts
    await s.ctx.deps.db
      .updateTable("outbox_jobs")
      .set({ status: "dead", attempts: 5, last_error: "550 mailbox unavailable" })
      .where("id", "=", job.id)
      .execute();
    const dead = (await call("outbox.list", { status: "dead" }, mia, "GET")).body.result.data;
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ id: job.id, status: "dead", attempts: 5, lastError: "550 mailbox unavailable", leadEmail: "anna@example.hu" });

    const retried = await call("outbox.retry", { id: job.id }, mia);
    expect(retried.status).toBe(200);
    expect(retried.body.result.data).toMatchObject({ id: job.id, status: "pending", attempts: 0, lastError: null });
    expect((await call("outbox.list", { status: "dead" }, mia, "GET")).body.result.data).toEqual([]);
    expect((await call("outbox.list", { status: "pending" }, mia, "GET")).body.result.data.map((j: { id: string }) => j.id)).toContain(job.id);

    const again = await call("outbox.retry", { id: job.id }, mia);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/only dead jobs/);
    noStack(again.body);
    expect((await call("outbox.retry", { id: "00000000-0000-4000-8000-000000000000" }, mia)).status).toBe(404);
    expect((await call("outbox.retry", { id: "nope" }, mia)).status).toBe(400);
    expect((await call("outbox.list", { status: "lost" }, mia, "GET")).status).toBe(400);
    expect((await call("outbox.list", {}, rita, "GET")).status).toBe(403);
    expect((await call("outbox.retry", { id: job.id }, rita)).status).toBe(403);
    expect((await call("outbox.list", {}, undefined, "GET")).status).toBe(401);
  });

  it("previews a decay policy without changing any lead", async () => {
    const leadsBefore = (await call("leads.list", { sort: "score" }, mia, "GET")).body.result.data.rows;
    expect(leadsBefore).toHaveLength(2);
    const tierOf = (email: string) => leadsBefore.find((r: { email: string }) => r.email === email).tier as string;

    // as the policy is now (none): nothing moves
    const none = await call("model.previewDecay", { decay: { kind: "none" } }, mia, "GET");
    expect(none.status).toBe(200);
    expect(none.body.result.data).toMatchObject({ leads: 2, moves: [], sample: [] });
    expect(none.body.result.data.before).toEqual(none.body.result.data.after);

    // 60 days on with a 10-day half-life, engagement is 1/64 of what it was
    const at = new Date(s.clock.now().getTime() + 60 * 86_400_000).toISOString();
    const half = (await call("model.previewDecay", { decay: { kind: "halfLife", days: 10 }, at }, mia, "GET")).body.result.data;
    expect(half.at).toBe(at);
    expect(half.leads).toBe(2);
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    expect(sum(half.before)).toBe(2);
    expect(sum(half.after)).toBe(2);
    expect(half.before[tierOf("anna@example.hu")]).toBeGreaterThanOrEqual(1);
    const anna = half.sample.find((x: { email: string }) => x.email === "anna@example.hu");
    expect(anna).toMatchObject({ tier: tierOf("anna@example.hu") });
    expect(anna.newTotal).toBeCloseTo(anna.total - 50 + 50 / 64, 1);
    expect(half.moves.reduce((a: number, m: { leads: number }) => a + m.leads, 0)).toBe(half.sample.length);

    // expired after 30 days: all engagement gone
    const expired = (await call("model.previewDecay", { decay: { kind: "expire", days: 30 }, at }, mia, "GET")).body.result.data;
    const annaExpired = expired.sample.find((x: { email: string }) => x.email === "anna@example.hu");
    expect(annaExpired.newTotal).toBeCloseTo(anna.total - 50, 5);

    // read-only
    const leadsAfter = (await call("leads.list", { sort: "score" }, mia, "GET")).body.result.data.rows;
    expect(leadsAfter.map((r: { email: string; total: number; tier: string }) => [r.email, r.total, r.tier])).toEqual(
      leadsBefore.map((r: { email: string; total: number; tier: string }) => [r.email, r.total, r.tier]),
    );

    const bad = await call("model.previewDecay", { decay: { kind: "halfLife", days: -1 } }, mia, "GET");
    expect(bad.status).toBe(400);
    noStack(bad.body);
    expect((await call("model.previewDecay", { decay: { kind: "none" }, at: "tomorrow" }, mia, "GET")).status).toBe(400);
    expect((await call("model.previewDecay", { decay: { kind: "none" } }, rita, "GET")).status).toBe(403);
  });

  it("reads and saves the workspace time zone", async () => {
    expect((await call("workspace.get", undefined, mia, "GET")).body.result.data).toEqual({ timeZone: "UTC" });
    const saved = await call("workspace.save", { timeZone: "Europe/Budapest" }, mia);
    expect(saved.body.result.data).toEqual({ timeZone: "Europe/Budapest" });
    expect((await s.api("GET", "/api/v1/workspace")).body).toEqual({ timeZone: "Europe/Budapest" });
    const bad = await call("workspace.save", { timeZone: "Mars/Olympus" }, mia);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/IANA/);
    expect((await call("workspace.save", { timeZone: "UTC" }, rita)).status).toBe(403);
  });

  it("sends a template test into the local mailbox", async () => {
    const sent = await call("templates.sendTest", { id: "warm-intro", to: "me@example.com", leadEmail: "anna@example.hu" }, mia);
    expect(sent.status).toBe(200);
    expect(sent.body.result.data).toMatchObject({ to: "me@example.com", subject: expect.stringMatching(/^\[Test\] /) });
    const mail = (await call("mailbox.list", undefined, mia, "GET")).body.result.data;
    expect(mail.some((m: { to: string; subject: string }) => m.to === "me@example.com" && m.subject === sent.body.result.data.subject)).toBe(true);
    expect((await call("templates.sendTest", { id: "nope", to: "me@example.com" }, mia)).status).toBe(404);
    expect((await call("templates.sendTest", { id: "warm-intro", to: "not an address" }, mia)).status).toBe(400);
    expect((await call("templates.sendTest", { id: "warm-intro", to: "me@example.com", leadEmail: "nobody@example.com" }, mia)).status).toBe(404);
  });
});
