import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, tick } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

// Both are fine for the sample lead a save renders with (no bio), and break a limit only with
// a real lead's data: the first runs 2,000³ loop steps, the second doubles 2,000 characters 30 times.
const slow = {
  subject: "Hi",
  html: '{% assign cs = lead.bio | split: "" %}{% for a in cs %}{% for b in cs %}{% for c in cs %}{% endfor %}{% endfor %}{% endfor %}<p>done</p>',
};
const big = {
  subject: "Hi",
  html: "{% assign s = lead.bio %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}<p>{{ s | size }}</p>",
};

const signupFlow = {
  id: "signup-mail",
  name: "Signup mail",
  reentry: "always",
  nodes: [
    { id: "t", type: "trigger.event", config: { eventType: "signup" } },
    { id: "slow", type: "email.send", config: { templateId: "slow" } },
    { id: "big", type: "email.send", config: { templateId: "big" } },
  ],
  edges: [{ from: "t", to: "slow" }, { from: "t", to: "big" }],
};

describe.each(testDatabaseKinds)("the template sandbox through the server on %s", (kind) => {
  let s: TestServer;
  let mia: string;
  beforeAll(async () => {
    s = await startTestServer(kind);
    await createUser(s.ctx.deps.db, { email: "mia@example.com", password: "marketer password", role: "marketer" });
    mia = await s.signIn("mia@example.com", "marketer password");
  });
  afterAll(() => s?.close());

  const stored = async (id: string) => (await s.api("GET", `/api/v1/templates/${id}`)).status;

  it.each([
    ["include", "html", "{% include 'package.json' %}"],
    ["render", "subject", "Hi {% render '../../etc/passwd' %}"],
    ["layout", "html", "{% layout '/etc/passwd' %}<p>x</p>"],
  ])("refuses {%% %s %%} of a server file with a clear message and stores nothing", async (tag, part, source) => {
    const template = { subject: "Hi", html: "<p>x</p>", [part]: source };
    const r = await s.api("PUT", `/api/v1/templates/file-${tag}`, template);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain(`Templates cannot include other files: remove {% ${tag} %}.`);
    expect(JSON.stringify(r.body)).not.toMatch(/"name":|dependencies|root:/); // no file content leaked
    expect(await stored(`file-${tag}`)).toBe(404);
  });

  it("refuses a nested loop of 10^5 x 10^5 at save", async () => {
    const html = "{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}";
    const r = await s.api("PUT", "/api/v1/templates/loop", { subject: "Hi", html });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^HTML body: The template takes too long to fill in/);
    expect(await stored("loop")).toBe(404);
  });

  it("fails a job whose template breaks a limit with the lead's data as a dead letter, while /healthz answers", async () => {
    for (const [id, t] of Object.entries({ slow, big })) expect((await s.api("PUT", `/api/v1/templates/${id}`, t)).status).toBe(200);
    expect((await s.api("PUT", `/api/v1/flows/${signupFlow.id}`, signupFlow)).status).toBe(200);
    expect((await s.api("POST", `/api/v1/flows/${signupFlow.id}/publish`)).status).toBe(200);
    expect((await s.api("PUT", "/api/v1/leads", { email: "long@bio.test", properties: { bio: "x".repeat(2000) } })).status).toBeLessThan(300);
    expect((await s.api("POST", "/api/v1/events?wait=true", { events: [{ email: "long@bio.test", type: "signup" }] })).status).toBe(200);

    let delivered = false;
    const delivery = tick(s.ctx.deps, s.clock.now()).finally(() => (delivered = true));
    for (let probe = 0; probe < 100 && !delivered; probe++) {
      const started = performance.now();
      const health = await fetch(`${s.url}/healthz`);
      expect(health.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(2_000); // generous: a message's render budget is 500 ms
    }
    expect((await delivery).outbox).toMatchObject({ sent: 0, dead: 2 });

    const dead = (await s.api("GET", "/api/v1/outbox?status=dead")).body.jobs as { templateId: string; lastError: string }[];
    const reasons = Object.fromEntries(dead.map((j) => [j.templateId, j.lastError]));
    expect(reasons).toEqual({
      slow: "template slow (HTML body): The template takes too long to fill in (a loop repeats too often). Make it simpler.",
      big: "template big (HTML body): The template produces too much text (a loop or filter repeats too often). Make it simpler.",
    });
  });

  it("answers a test send of such a template for that lead with 400 and the reason", async () => {
    const r = await s.api("POST", "/api/v1/templates/big/test", { to: "me@example.com", leadEmail: "long@bio.test" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe("HTML body: The template produces too much text (a loop or filter repeats too often). Make it simpler.");
  });

  it("previews by POST only, through the same sandbox", async () => {
    const input = { template: { subject: "Hi", html: "{% include 'package.json' %}" } };
    const get = await s.trpc("templates.preview", input, mia, "GET");
    expect(get.status).toBe(405);
    const post = await s.trpc("templates.preview", input, mia);
    expect(post.status).toBe(200);
    expect(post.body.result.data).toEqual({ ok: false, error: "HTML body: Templates cannot include other files: remove {% include %}." });
    const fine = await s.trpc("templates.preview", { template: { subject: "Hi {{ lead.firstName }}", html: "<p>x</p>" } }, mia);
    expect(fine.body.result.data).toMatchObject({ ok: true, subject: "Hi Anna" });
  });
});
