import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ParsedMail } from "mailparser";
import { galleryFlows } from "@leadflow/flow";
import { createSmtpTransport } from "@leadflow/mailer";
import { tick } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";
import { startSmtpSink } from "./testing/smtp-sink.js";

const promo = {
  subject: "{{ lead.firstName | default: \"Hello\" }}, our new plans",
  html: '<html><body><p>Hi {{ lead.firstName | default: "there" }},</p><p><a href="https://example.com/pricing?plan=pro&amp;ref=mail">See pricing</a> or <a href="mailto:sales@example.com">write to us</a>.</p><p>{{ owner.name | default: "The team" }}</p></body></html>',
};

const promoFlow = {
  id: "promo",
  name: "Promo",
  reentry: "always",
  nodes: [
    { id: "t", type: "trigger.event", config: { eventType: "download" } },
    { id: "mail", type: "email.send", config: { templateId: "promo" } },
    { id: "tell", type: "sales.notify", config: { to: "rita@sales.test" } },
  ],
  edges: [{ from: "t", to: "mail" }, { from: "t", to: "tell" }],
};

const engagementFlow = {
  id: "engagement",
  name: "E-mail engagement",
  reentry: "always",
  nodes: [
    { id: "open", type: "trigger.event", config: { eventType: "email_open", where: [{ field: "event.properties.machine", op: "eq", value: false }] } },
    { id: "click", type: "trigger.event", config: { eventType: "email_click" } },
    { id: "bounce", type: "trigger.event", config: { eventType: "email_bounce" } },
    { id: "p-open", type: "score.add", config: { points: 1, category: "email" } },
    { id: "p-click", type: "score.add", config: { points: 5, category: "email" } },
    { id: "p-bounce", type: "score.add", config: { points: -10 } },
  ],
  edges: [{ from: "open", to: "p-open" }, { from: "click", to: "p-click" }, { from: "bounce", to: "p-bounce" }],
};

const tierPoints = {
  id: "tier-points",
  name: "Tier points",
  reentry: "always",
  nodes: [
    { id: "t-up", type: "trigger.event", config: { eventType: "warm_signal" } },
    { id: "t-down", type: "trigger.event", config: { eventType: "cool_signal" } },
    { id: "t-leap", type: "trigger.event", config: { eventType: "leap_signal" } },
    { id: "up", type: "score.add", config: { points: 35 } },
    { id: "down", type: "score.add", config: { points: -15 } },
    { id: "leap", type: "score.add", config: { points: 75 } },
  ],
  edges: [{ from: "t-up", to: "up" }, { from: "t-down", to: "down" }, { from: "t-leap", to: "leap" }],
};

const humanUa = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15";
const to = (m: ParsedMail) => JSON.stringify(m.to ?? "");
const header = (m: ParsedMail, name: string) => m.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, "").replace(/\r?\n\s+/g, "");

describe.each(testDatabaseKinds)("e-mail on %s", (kind) => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let s: TestServer;
  const local = (url: string) => url.replace("http://leadflow.test", s.url);
  const mailsTo = (email: string) => sink.received.filter((m) => to(m).toLowerCase().includes(email.toLowerCase()));
  const events = (type: string) => s.ctx.deps.db.selectFrom("events").select(["id", "lead_id", "properties", "idempotency_key"]).where("type", "=", type).execute();
  const lead = async (email: string) => (await s.api("GET", `/api/v1/leads/${email}`)).body;
  const download = (email: string, id?: string) => s.api("POST", "/api/v1/events?wait=true", { events: [{ ...(id ? { id } : {}), email, type: "download" }] });
  const deliver = () => tick(s.ctx.deps, s.clock.now());
  const links = (m: ParsedMail) => ({
    pixel: /<img src="(http:\/\/leadflow\.test\/t\/o\/[^"]+)"/.exec(String(m.html))![1]!,
    click: /<a href="(http:\/\/leadflow\.test\/t\/c\/[^"]+)">See pricing/.exec(String(m.html))![1]!,
    unsubscribe: /^<(.+)>$/.exec(header(m, "list-unsubscribe")!)![1]!,
  });

  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRecipient: (a) => a.startsWith("gone@") });
    s = await startTestServer(kind, { transport: createSmtpTransport(sink.url) });
    for (const [id, t] of Object.entries({
      promo,
      "nurture-cold": { subject: "cold", html: "<p>Still there?</p>" },
      "nurture-warm": { subject: "warm", html: "<p>Glad you are interested. <a href=\"{{ unsubscribe_url }}\">Stop these</a></p>" },
      "nurture-hot": { subject: "hot", html: "<p>Let's talk.</p>", text: "Let's talk." },
    })) {
      expect((await s.api("PUT", `/api/v1/templates/${id}`, t)).status).toBe(200);
    }
    const nurture = galleryFlows.find((g) => g.id === "tier-nurture")!.document;
    for (const flow of [promoFlow, engagementFlow, tierPoints, nurture]) {
      await s.api("PUT", `/api/v1/flows/${flow.id}`, flow);
      const published = await s.api("POST", `/api/v1/flows/${flow.id}/publish`);
      expect(published.status, JSON.stringify(published.body)).toBe(200);
    }
  });
  afterAll(async () => {
    await s?.close();
    await sink?.close();
  });

  it("sends marketing e-mail with the RFC 8058 pair, a Message-ID per job, both parts, escaped variables and tracking; a rep's notice has none of it", async () => {
    const email = "mallory@example.com";
    await s.api("PUT", "/api/v1/leads", { email, properties: { firstName: "<script>alert(1)</script>" } });
    await download(email);
    expect((await deliver()).outbox).toMatchObject({ sent: 2, dead: 0 });
    const [mail] = mailsTo(email);
    expect(mailsTo(email)).toHaveLength(1);
    const job = await s.ctx.deps.db.selectFrom("outbox_jobs").selectAll().where("job_type", "=", "email").where("status", "=", "sent").executeTakeFirstOrThrow();
    expect(mail!.messageId).toBe(`<${job.id}@leadflow.test>`);
    expect(header(mail!, "list-unsubscribe")).toMatch(/^<http:\/\/leadflow\.test\/u\/[\w-]+\.[\w-]+>$/);
    expect(header(mail!, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(mail!.subject).toBe("<script>alert(1)</script>, our new plans");
    expect(mail!.html).toContain("Hi &lt;script&gt;alert(1)&lt;/script&gt;,");
    expect(mail!.html).not.toContain("<script>");
    expect(mail!.html).not.toContain('href="https://example.com/pricing');
    expect(mail!.html).toContain('href="mailto:sales@example.com"');
    const { unsubscribe } = links(mail!);
    expect(mail!.html).toContain(`<a href="${unsubscribe}">Unsubscribe</a>`);
    expect(mail!.text).toContain("Hi <script>alert(1)</script>,");
    expect(mail!.text).toContain(unsubscribe);

    const [notice] = sink.received.filter((m) => to(m).includes("rita@sales.test"));
    expect(notice).toBeDefined();
    expect(header(notice!, "list-unsubscribe")).toBeUndefined();
    expect(String(notice!.html)).not.toContain("/t/o/");
  });

  it("turns pixel loads and clicks into scored events, once per message, flags proxies and refuses forged or altered tokens", async () => {
    const email = "olga@example.com";
    await download(email);
    await deliver();
    const mail = mailsTo(email).at(-1)!;
    const { pixel, click, unsubscribe } = links(mail);

    const open = await fetch(local(pixel), { headers: { "user-agent": humanUa } });
    expect(open.status).toBe(200);
    expect(open.headers.get("content-type")).toBe("image/gif");
    await fetch(local(pixel), { headers: { "user-agent": humanUa } });
    await fetch(local(pixel), { headers: { "user-agent": "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)" } });
    const res = await fetch(local(click), { redirect: "manual", headers: { "user-agent": humanUa } });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://example.com/pricing?plan=pro&ref=mail");
    await fetch(local(click), { redirect: "manual", headers: { "user-agent": humanUa } });

    const l = await lead(email);
    const opens = (await events("email_open")).filter((e) => e.lead_id === l.id);
    expect(opens.map((e) => e.properties.machine).sort()).toEqual([false, true]);
    expect(opens.find((e) => e.properties.machine)!.properties.machineReason).toBe("google image proxy");
    const clicks = (await events("email_click")).filter((e) => e.lead_id === l.id);
    expect(clicks).toHaveLength(1);
    expect(clicks[0]!.properties).toMatchObject({ templateId: "promo", url: "https://example.com/pricing?plan=pro&ref=mail", machine: false });
    // +1 for the person's open (the proxy's is ignored by the flow), +5 for the click
    expect(l.scores.categories.email).toBe(6);
    expect(l.ledger.map((e: { delta: number }) => e.delta).sort()).toEqual([1, 5]);

    const before = (await events("email_click")).length + (await events("email_open")).length;
    const [body, sig] = click.split("/t/c/")[1]!.split(".");
    const flip = (t: string) => t.slice(0, -2) + (t.at(-2) === "A" ? "B" : "A") + t.at(-1);
    const forged = [
      `${s.url}/t/c/${body}.${flip(sig!)}`, // altered signature
      `${s.url}/t/c/${Buffer.from(Buffer.from(body!, "base64url").toString("latin1").replace("example.com", "evil.test!!"), "latin1").toString("base64url")}.${sig}`, // altered link
      `${s.url}/t/c/${pixel.split("/t/o/")[1]}`, // an open token used as a click
      `${s.url}/t/c/not-a-token`,
      `${s.url}/t/o/${flip(pixel.split("/t/o/")[1]!)}`,
      `${s.url}/t/o/${"A".repeat(5000)}`,
    ];
    for (const url of forged) {
      const r = await fetch(url, { redirect: "manual", headers: { "user-agent": humanUa } });
      expect([400, 404], url).toContain(r.status);
      expect(r.headers.get("location")).toBeNull();
      expect(await r.text()).not.toMatch(/at .*\.ts:\d+/);
    }
    expect((await fetch(`${s.url}/u/${pixel.split("/t/o/")[1]}`)).status).toBe(404);
    expect((await events("email_click")).length + (await events("email_open")).length).toBe(before);
    expect(unsubscribe).toContain("/u/");
  });

  it("unsubscribes in one click (RFC 8058), shows a confirmation page, and never mails the lead again, even after re-import", async () => {
    const email = "Una@Example.com";
    await download(email);
    await deliver();
    const { unsubscribe } = links(mailsTo("una@example.com").at(-1)!);

    const pageRes = await fetch(local(unsubscribe));
    const pageHtml = await pageRes.text();
    expect(pageRes.status).toBe(200);
    expect(pageHtml).toContain("Unsubscribe?");
    expect(pageHtml).toContain("Un*@Example.com");
    expect((await lead(email)).status).toBe("active"); // a GET (a scanner's prefetch) changes nothing

    const oneClick = await fetch(local(unsubscribe), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain("You are unsubscribed");
    expect((await lead(email)).status).toBe("unsubscribed");
    const unsub = (await events("unsubscribe")).filter((e) => e.properties.method === "one-click");
    expect(unsub).toHaveLength(1);
    // again: nothing new
    await fetch(local(unsubscribe), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect((await events("unsubscribe")).filter((e) => e.properties.method === "one-click")).toHaveLength(1);

    expect((await s.api("PUT", "/api/v1/leads", { email: "una@example.com", properties: { firstName: "Una" } })).body.status).toBe("unsubscribed");
    const sent = sink.received.length;
    await download(email);
    expect((await deliver()).outbox).toMatchObject({ skipped: 1, sent: 1 }); // the rep's notice still goes
    expect(sink.received.length).toBe(sent + 1);
    expect(mailsTo("una@example.com")).toHaveLength(1);

    const bad = await fetch(`${s.url}/u/${unsubscribe.split("/u/")[1]!.slice(0, -3)}xyz`, { method: "POST" });
    expect(bad.status).toBe(404);
    expect(await bad.text()).toContain("This link is not valid");
  });

  it("defers the 4th marketing e-mail in 7 days until it fits, and does not count notifications to sales", async () => {
    const email = "capped@example.com";
    for (let i = 0; i < 4; i++) await download(email);
    const r = await deliver();
    expect(r.outbox).toMatchObject({ sent: 7, deferred: 1 }); // 3 e-mails + 4 notices
    expect(mailsTo(email)).toHaveLength(3);
    const l = await lead(email);
    const deferred = await s.ctx.deps.db.selectFrom("outbox_jobs").selectAll().where("lead_id", "=", l.id).where("status", "=", "pending").executeTakeFirstOrThrow();
    expect(deferred.attempts).toBe(0);
    expect(new Date(deferred.next_attempt_at).getTime()).toBe(s.clock.now().getTime() + 7 * 86_400_000 + 1000);

    s.clock.advance(6 * 86_400_000);
    expect((await deliver()).outbox.sent).toBe(0);
    s.clock.advance(86_400_000 + 1000);
    expect((await deliver()).outbox.sent).toBe(1);
    expect(mailsTo(email)).toHaveLength(4);
  });

  it("marks a lead bounced when the SMTP server refuses its address, and on a hard email_bounce from the API; flows score the bounce", async () => {
    await download("gone@example.com");
    expect((await deliver()).outbox).toMatchObject({ dead: 1 });
    const gone = await lead("gone@example.com");
    expect(gone.status).toBe("bounced");
    expect(gone.scores.engagement).toBe(-10);
    const bounce = (await events("email_bounce")).find((e) => e.lead_id === gone.id)!;
    expect(bounce.properties).toMatchObject({ kind: "hard", source: "smtp", templateId: "promo", smtpCode: 550 });

    await s.api("POST", "/api/v1/events?wait=true", {
      events: [
        { email: "soft@example.com", type: "email_bounce", properties: { kind: "soft" } },
        { email: "hard@example.com", type: "email_bounce", properties: { kind: "hard" } },
      ],
    });
    expect((await lead("soft@example.com")).status).toBe("active");
    expect((await lead("hard@example.com")).status).toBe("bounced");
    await download("hard@example.com");
    expect((await deliver()).outbox).toMatchObject({ skipped: 1 });
    expect(mailsTo("hard@example.com")).toHaveLength(0);
  });

  it("lists dead jobs and retries one over REST", async () => {
    const dead = await s.api("GET", "/api/v1/outbox?status=dead");
    expect(dead.status).toBe(200);
    const job = dead.body.jobs.find((j: { leadEmail: string }) => j.leadEmail === "gone@example.com");
    expect(job).toMatchObject({ status: "dead", jobType: "email", templateId: "promo", lastError: expect.stringMatching(/550/) });
    const retried = await s.api("POST", `/api/v1/outbox/${job.id}/retry`);
    expect(retried.body).toMatchObject({ id: job.id, status: "pending", attempts: 0, lastError: null });
    expect((await s.api("POST", `/api/v1/outbox/${job.id}/retry`)).status).toBe(409);
    expect((await s.api("POST", "/api/v1/outbox/00000000-0000-4000-8000-000000000000/retry")).status).toBe(404);
    expect((await s.api("POST", "/api/v1/outbox/nope/retry")).status).toBe(400);
    expect((await s.api("GET", "/api/v1/outbox?status=lost")).status).toBe(400);
    // the address bounced meanwhile: the retry is skipped, not sent
    expect((await deliver()).outbox).toMatchObject({ skipped: 1, sent: 0 });
  });

  it("sends a test of a template to an address, with a sample lead or a real one", async () => {
    const r = await s.api("POST", "/api/v1/templates/promo/test", { to: "me@team.test" });
    expect(r.status).toBe(200);
    const [mail] = mailsTo("me@team.test");
    expect(mail!.subject).toBe("[Test] Anna, our new plans");
    expect(mail!.text).toContain("Sam Seller");
    expect(String(mail!.html)).not.toContain("/t/o/");
    await s.api("PUT", "/api/v1/leads", { email: "tess@example.com", properties: { firstName: "Tess" } });
    await s.api("POST", "/api/v1/templates/promo/test", { to: "me@team.test", leadEmail: "tess@example.com" });
    expect(mailsTo("me@team.test").at(-1)!.subject).toBe("[Test] Tess, our new plans");
    expect((await s.api("POST", "/api/v1/templates/promo/test", { to: "not an address" })).status).toBe(400);
    expect((await s.api("POST", "/api/v1/templates/nope/test", { to: "me@team.test" })).status).toBe(404);
  });

  it("tier nurture: a lead going cold → warm → hot gets the warm then the hot e-mail, once each; cooling to warm sends warm again", async () => {
    const email = "tina@example.com";
    const subjects = () => mailsTo(email).map((m) => m.subject);
    await s.api("POST", "/api/v1/events?wait=true", { events: [{ id: "tina-1", email, type: "warm_signal" }] }); // 0 -> 35
    await deliver();
    await s.api("POST", "/api/v1/events?wait=true", { events: [{ id: "tina-2", email, type: "warm_signal" }] }); // 35 -> 70
    await deliver();
    expect(subjects()).toEqual(["warm", "hot"]);
    // the same events again, and a move inside Hot: nothing new
    await s.api("POST", "/api/v1/events?wait=true", { events: [{ id: "tina-1", email, type: "warm_signal" }, { id: "tina-2", email, type: "warm_signal" }, { id: "tina-3", email, type: "warm_signal" }] }); // 70 -> 105
    await deliver();
    expect(subjects()).toEqual(["warm", "hot"]);
    const hot = mailsTo(email)[1]!;
    expect(hot.text).toContain("Let's talk.\n\n--\nUnsubscribe: http://leadflow.test/u/");

    s.clock.advance(8 * 86_400_000); // out of the cap's window
    for (let i = 0; i < 3; i++) await s.api("POST", "/api/v1/events?wait=true", { events: [{ email, type: "cool_signal" }] }); // 105 -> 60
    await deliver();
    expect(subjects()).toEqual(["warm", "hot", "warm"]);
    // a jump from Cold straight to Hot sends only the hot e-mail
    await s.api("POST", "/api/v1/events?wait=true", { events: [{ email: "jump@example.com", type: "leap_signal" }] });
    await deliver();
    expect(mailsTo("jump@example.com").map((m) => m.subject)).toEqual(["hot"]);
  });
});
