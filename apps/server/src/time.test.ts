import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { galleryFlows } from "@leadflow/flow";
import { tick } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

const DAY = 86_400_000;
const reEngagement = galleryFlows.find((g) => g.id === "re-engagement")!.document;

const heat = {
  id: "heat",
  name: "Heat",
  reentry: "always",
  nodes: [
    { id: "t-demo", type: "trigger.event", config: { eventType: "demo_request" } },
    { id: "t-visit", type: "trigger.event", config: { eventType: "page_view" } },
    { id: "p-demo", type: "score.add", config: { points: 100 } },
    { id: "p-visit", type: "score.add", config: { points: 10, category: "web" } },
  ],
  edges: [
    { from: "t-demo", to: "p-demo" },
    { from: "t-visit", to: "p-visit" },
  ],
};

describe.each(testDatabaseKinds)("a hot lead going quiet under a 30-day half-life on %s", (kind) => {
  let s: TestServer;
  let t0: number;
  const at = (day: number) => new Date(t0 + day * DAY);
  const tickDay = (day: number) => {
    s.clock.set(at(day).toISOString());
    return tick(s.ctx.deps, s.clock.now());
  };
  const db = () => s.ctx.deps.db;
  const lead = async () => (await s.api("GET", "/api/v1/leads/anna@example.com")).body;
  const reRuns = () => db().selectFrom("flow_runs").select(["id", "started_at", "path", "status"]).where("flow_id", "=", "re-engagement").orderBy("started_at").execute();

  beforeAll(async () => {
    s = await startTestServer(kind);
    t0 = s.clock.now().getTime();
    const model = { tiers: [{ name: "Cold", min: 0 }, { name: "Warm", min: 30 }, { name: "Hot", min: 70 }], decay: { kind: "halfLife", days: 30 } };
    expect((await s.api("PUT", "/api/v1/scoring-model", model)).status).toBe(200);
    expect((await s.api("PUT", "/api/v1/templates/re-engagement", { subject: "We miss you, {{ lead.firstName }}", html: "<p>Still interested?</p>" })).status).toBe(200);
    for (const doc of [heat, reEngagement]) {
      expect((await s.api("PUT", `/api/v1/flows/${doc.id}`, doc)).status).toBe(200);
      expect((await s.api("POST", `/api/v1/flows/${doc.id}/publish`)).status).toBe(200);
    }
    await s.api("PUT", "/api/v1/leads", { email: "anna@example.com", properties: { firstName: "Anna" } });
    await s.api("POST", "/api/v1/events?wait=true", { events: [{ email: "anna@example.com", type: "demo_request" }] });
  });
  afterAll(() => s?.close());

  it("60 daily ticks: engagement halves twice, tiers drop on day 16 and day 53, one re-engagement run that mails", async () => {
    expect((await lead()).tier).toBe("Hot");
    const engagement: number[] = [100];
    for (let day = 1; day <= 60; day++) {
      await tickDay(day);
      const row = await db().selectFrom("leads").select(["engagement", "tier"]).where("email_lower", "=", "anna@example.com").executeTakeFirstOrThrow();
      engagement.push(row.engagement);
      if (day === 30) {
        // a second tick at the same instant changes nothing
        const ledgerBefore = await db().selectFrom("score_ledger").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
        await tickDay(30);
        const again = await db().selectFrom("leads").select("engagement").where("email_lower", "=", "anna@example.com").executeTakeFirstOrThrow();
        expect(again.engagement).toBe(row.engagement);
        const ledgerAfter = await db().selectFrom("score_ledger").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
        expect(ledgerAfter.n).toBe(ledgerBefore.n);
      }
    }
    expect(engagement[30]).toBeCloseTo(50, 9);
    expect(engagement[60]).toBeCloseTo(25, 9);
    for (let day = 1; day <= 60; day++) expect(engagement[day]).toBeCloseTo(100 * 0.5 ** (day / 30), 9);

    const tiers = await db()
      .selectFrom("tier_changes")
      .select(["from_tier", "to_tier", "at"])
      .orderBy("at")
      .execute();
    expect(tiers.map((t) => [t.from_tier, t.to_tier, Math.round((new Date(t.at).getTime() - t0) / DAY)])).toEqual([
      ["Cold", "Hot", 0],
      ["Hot", "Warm", 16],
      ["Warm", "Cold", 53],
    ]);

    const runs = await reRuns();
    expect(runs).toHaveLength(1);
    expect(new Date(runs[0]!.started_at).getTime()).toBe(at(53).getTime());
    const mails = await db().selectFrom("mailbox").select(["to_address", "subject", "created_at"]).execute();
    expect(mails.map((m) => [m.to_address, m.subject, Math.round((new Date(m.created_at).getTime() - t0) / DAY)])).toEqual([
      ["anna@example.com", "We miss you, Anna", 54],
    ]);

    const view = await lead();
    expect(view.tier).toBe("Cold");
    expect(view.scores.engagement).toBe(25);
    const reasons = new Set(view.ledger.map((l: { reason: string }) => l.reason));
    expect(reasons).toEqual(new Set(["flow", "decay"]));
    const sum = view.ledger.reduce((acc: number, l: { delta: number }) => acc + l.delta, 0);
    expect(sum).toBeCloseTo(25, 1);
    // weekly snapshots: every week lower than the one before
    expect(view.trend.length).toBeGreaterThanOrEqual(8);
    const totals = view.trend.map((w: { total: number }) => w.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    const weeksDown = await db().selectFrom("leads").select("weeks_down").where("email_lower", "=", "anna@example.com").executeTakeFirstOrThrow();
    expect(weeksDown.weeks_down).toBe(view.trend.length - 1);
  });

  it("seven quiet days after the e-mail the lead is recycled", async () => {
    await tickDay(61);
    const runs = await reRuns();
    expect(runs[0]!.path).toEqual(["t-drop", "w-1d", "mail", "w-7d", "quiet", "recycle"]);
    expect((await lead()).stage).toBe("recycled");
  });

  it("crossing back above 30 and below again starts another run", async () => {
    s.clock.set(at(62).toISOString());
    await s.api("POST", "/api/v1/events?wait=true", { events: [{ email: "anna@example.com", type: "page_view" }] });
    expect((await lead()).scores.total).toBeGreaterThan(30);
    for (let day = 63; day <= 70; day++) await tickDay(day);
    const runs = await reRuns();
    expect(runs).toHaveLength(2);
    // 33.9·0.5^(d/30) < 30 from d = 6 on: day 68
    expect(new Date(runs[1]!.started_at).getTime()).toBe(at(68).getTime());
    const web = (await lead()).ledger.filter((l: { category: string | null }) => l.category === "web");
    expect(web.map((l: { reason: string }) => l.reason)).toContain("decay");
  });

  it("previews another policy without changing anything", async () => {
    const before = await lead();
    const r = await s.api("POST", "/api/v1/scoring-model/preview", { decay: { kind: "none" } });
    expect(r.status).toBe(200);
    expect(r.body.leads).toBe(1);
    expect(r.body.before).toEqual({ Cold: 1, Warm: 0, Hot: 0 });
    expect(r.body.after).toEqual({ Cold: 0, Warm: 0, Hot: 1 });
    expect(r.body.moves).toEqual([{ from: "Cold", to: "Hot", leads: 1 }]);
    expect(r.body.sample).toEqual([expect.objectContaining({ email: "anna@example.com", tier: "Cold", newTier: "Hot", newTotal: 110 })]);
    const expire = await s.api("POST", "/api/v1/scoring-model/preview", { decay: { kind: "expire", days: 30 } });
    expect(expire.body.after).toEqual({ Cold: 1, Warm: 0, Hot: 0 });
    expect((await s.api("POST", "/api/v1/scoring-model/preview", { decay: { kind: "halfLife" } })).status).toBe(400);
    expect((await lead()).scores).toEqual(before.scores);
  });
});
