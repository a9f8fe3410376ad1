import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSmtpTransport } from "@leadflow/mailer";
import { tick } from "@leadflow/runtime";
import { startTestServer, type TestServer } from "./testing/harness.js";
import { startSmtpSink } from "./testing/smtp-sink.js";
import { demoRequest, handoffFlow, pricingView, reps, warmIntro } from "./testing/scenario.js";

describe("delivery to a real SMTP server", () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let s: TestServer;
  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRecipient: (a) => a.startsWith("gone@") });
    s = await startTestServer("postgres", { transport: createSmtpTransport(sink.url) });
    await s.api("PUT", "/api/v1/templates/warm-intro", { ...warmIntro, html: `${warmIntro.html}<p>{{ lead.company }}</p>` });
    await s.api("PUT", "/api/v1/reps", reps);
    await s.api("PUT", "/api/v1/flows/hand-off", handoffFlow);
    await s.api("POST", "/api/v1/flows/hand-off/publish");
  });
  afterAll(async () => {
    await s?.close();
    await sink?.close();
  });

  it("sends the lead's e-mail with escaped variables, a text part and a Message-ID per job, and the rep's notice", async () => {
    const email = "mallory@example.com";
    await s.api("PUT", "/api/v1/leads", { email, properties: { firstName: "<script>alert(1)</script>", company: "A & B" } });
    await s.api("POST", "/api/v1/events?wait=true", { events: [demoRequest(email), pricingView(email), pricingView(email)] });
    const report = await tick(s.ctx.deps, s.clock.now());
    expect(report.outbox).toMatchObject({ sent: 2, dead: 0, retried: 0 });

    const toLead = sink.received.filter((m) => m.to && JSON.stringify(m.to).includes(email));
    expect(toLead).toHaveLength(1);
    const mail = toLead[0]!;
    expect(mail.subject).toBe("<script>alert(1)</script>, let's talk");
    expect(mail.html).toContain("Hi &lt;script&gt;alert(1)&lt;/script&gt;,");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("A &amp; B");
    expect(mail.text).toContain("Hi <script>alert(1)</script>,");
    const job = await s.ctx.deps.db.selectFrom("outbox_jobs").selectAll().where("job_type", "=", "email").executeTakeFirstOrThrow();
    expect(mail.messageId).toBe(`<${job.id}@leadflow.test>`);
    expect(job.status).toBe("sent");
    expect(job.message_id).toBe(mail.messageId);

    const toRep = sink.received.filter((m) => JSON.stringify(m.to).includes("rita@sales.test"));
    expect(toRep).toHaveLength(1);
    expect(toRep[0]!.text).toContain(email);

    // a second pass sends nothing again
    expect((await tick(s.ctx.deps, s.clock.now())).outbox.sent).toBe(0);
    expect(sink.received).toHaveLength(2);
  });

  it("skips unsubscribed leads and dead-letters a permanent SMTP rejection", async () => {
    await s.api("PUT", "/api/v1/leads", { email: "quiet@example.com", properties: {} });
    await s.ctx.deps.db.updateTable("leads").set({ status: "unsubscribed" }).where("email_lower", "=", "quiet@example.com").execute();
    await s.api("POST", "/api/v1/events?wait=true", { events: [demoRequest("quiet@example.com"), pricingView("quiet@example.com"), pricingView("quiet@example.com")] });
    await s.api("POST", "/api/v1/events?wait=true", { events: [demoRequest("gone@example.com"), pricingView("gone@example.com"), pricingView("gone@example.com")] });
    const before = sink.received.length;
    const report = await tick(s.ctx.deps, s.clock.now());
    expect(report.outbox).toMatchObject({ skipped: 1, dead: 1, sent: 2 }); // 2 = the reps' notices
    expect(sink.received.length).toBe(before + 2);
    const dead = await s.ctx.deps.db.selectFrom("outbox_jobs").select(["status", "last_error"]).where("status", "=", "dead").execute();
    expect(dead).toHaveLength(1);
    expect(dead[0]!.last_error).toMatch(/550/);
  });
});
