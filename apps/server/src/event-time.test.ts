import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tick } from "@leadflow/runtime";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

const DAY = 86_400_000;

interface LedgerRow {
  delta: number;
  reason: string;
  at: string;
  processedAt: string;
  eventId: string | null;
}

const scoring = (events: { type: string; points: number; expiresAfterDays?: number }[]) => ({
  id: "scoring",
  name: "Scoring",
  reentry: "always",
  nodes: events.flatMap((e) => [
    { id: `t-${e.type}`, type: "trigger.event", config: { eventType: e.type } },
    { id: `p-${e.type}`, type: "score.add", config: { points: e.points, ...(e.expiresAfterDays ? { expiresAfterDays: e.expiresAfterDays } : {}) } },
  ]),
  edges: events.map((e) => ({ from: `t-${e.type}`, to: `p-${e.type}` })),
});

async function setUp(s: TestServer, docs: unknown[]) {
  const model = { tiers: [{ name: "Cold", min: 0 }, { name: "Warm", min: 30 }, { name: "Hot", min: 70 }], decay: { kind: "halfLife", days: 30 } };
  expect((await s.api("PUT", "/api/v1/scoring-model", model)).status).toBe(200);
  for (const doc of docs as { id: string }[]) {
    expect((await s.api("PUT", `/api/v1/flows/${doc.id}`, doc)).status).toBe(200);
    expect((await s.api("POST", `/api/v1/flows/${doc.id}/publish`)).status).toBe(200);
  }
}

function harness() {
  const ref: { s?: TestServer; t0: number } = { t0: 0 };
  const s = () => ref.s!;
  return {
    ref,
    s,
    at: (day: number) => new Date(ref.t0 + day * DAY).toISOString(),
    tickAt: (day: number) => {
      s().clock.set(new Date(ref.t0 + day * DAY).toISOString());
      return tick(s().ctx.deps, s().clock.now());
    },
    send: async (events: object[]) => {
      const r = await s().api("POST", "/api/v1/events?wait=true", { events });
      expect(r.body.errors).toEqual([]);
      return r.body;
    },
    lead: async (email: string) => (await s().api("GET", `/api/v1/leads/${email}`)).body,
  };
}

describe.each(testDatabaseKinds)("late events are scored at their own time on %s", (kind) => {
  const h = harness();
  beforeAll(async () => {
    h.ref.s = await startTestServer(kind);
    h.ref.t0 = h.s().clock.now().getTime();
    await setUp(h.s(), [scoring([{ type: "demo_request", points: 40 }, { type: "webinar", points: 20, expiresAfterDays: 30 }])]);
  });
  afterAll(() => h.ref.s?.close());

  it("a demo request 60 days old under a 30-day half-life counts 10 after one tick, its ledger entry dated 60 days ago", async () => {
    await h.send([{ email: "late@example.com", type: "demo_request", occurredAt: h.at(-60) }]);
    await h.tickAt(0);
    const view = await h.lead("late@example.com");
    expect(view.scores.engagement).toBe(10);
    const flow = view.ledger.find((l: LedgerRow) => l.reason === "flow");
    expect(flow).toMatchObject({ delta: 40, at: h.at(-60), processedAt: h.at(0) });
    // what it lost before it arrived, caused by the same event, so the ledger sums to the score
    const lost = view.ledger.filter((l: LedgerRow) => l.reason === "decay" && l.eventId === flow.eventId);
    expect(lost).toEqual([expect.objectContaining({ delta: -30, at: h.at(0) })]);
    expect(view.ledger.reduce((a: number, l: LedgerRow) => a + l.delta, 0)).toBeCloseTo(10, 6);
    // the lead did not become active today: its activity is when the event happened
    expect(view.lastActivityAt).toBe(h.at(-60));
  });

  it("keeps decaying from the event's own time: 30 days on it is worth 5", async () => {
    await h.tickAt(30);
    const view = await h.lead("late@example.com");
    expect(view.scores.engagement).toBe(5);
    expect(view.ledger.reduce((a: number, l: LedgerRow) => a + l.delta, 0)).toBeCloseTo(5, 6);
  });

  it("expiresAfterDays counts from the event's time; one already past it is stored without points and says so", async () => {
    // day 30 now: 20 days old, expires on day 40; 40 days old, expired on day 20
    await h.send([
      { email: "recent@example.com", type: "webinar", occurredAt: h.at(10) },
      { email: "old@example.com", type: "webinar", occurredAt: h.at(-10) },
    ]);
    const recent = await h.lead("recent@example.com");
    expect(recent.scores.engagement).toBeCloseTo(20 * 0.5 ** (20 / 30), 1);
    const old = await h.lead("old@example.com");
    expect(old.scores.engagement).toBe(0);
    expect(old.ledger.map((l: LedgerRow) => [l.reason, l.delta, l.at])).toEqual([
      ["flow", 20, h.at(-10)],
      ["expire", -20, h.at(20)],
    ]);
    await h.tickAt(39);
    expect((await h.lead("recent@example.com")).scores.engagement).toBeGreaterThan(0);
    await h.tickAt(41);
    expect((await h.lead("recent@example.com")).scores.engagement).toBe(0);
    // no pass takes the already expired entry back a second time
    const after = await h.lead("old@example.com");
    expect(after.scores.engagement).toBe(0);
    expect(after.ledger.filter((l: LedgerRow) => l.reason !== "flow")).toHaveLength(1);
  });
});

describe.each(testDatabaseKinds)("a late event inside an active wait on %s", (kind) => {
  const h = harness();
  const nurture = {
    id: "nurture",
    name: "Nurture",
    reentry: "always",
    nodes: [
      { id: "t", type: "trigger.event", config: { eventType: "demo_request" } },
      { id: "w", type: "wait", config: { days: 2 } },
      { id: "p", type: "score.add", config: { points: 8 } },
    ],
    edges: [{ from: "t", to: "w" }, { from: "w", to: "p" }],
  };
  beforeAll(async () => {
    h.ref.s = await startTestServer(kind);
    h.ref.t0 = h.s().clock.now().getTime();
    await setUp(h.s(), [nurture]);
  });
  afterAll(() => h.ref.s?.close());

  it("waits from when it was processed, and points after the wait count from the resume", async () => {
    await h.send([{ email: "wait@example.com", type: "demo_request", occurredAt: h.at(-1) }]);
    const db = h.s().ctx.deps.db;
    const timers = await db.selectFrom("timers").select(["due_at", "status"]).execute();
    // a wait of 2 days started by an event 1 day old is due 2 days from now, not 1
    expect(timers.map((t) => new Date(t.due_at).toISOString())).toEqual([h.at(2)]);
    await h.tickAt(1);
    expect((await h.lead("wait@example.com")).scores.engagement).toBe(0);
    await h.tickAt(2);
    const view = await h.lead("wait@example.com");
    expect(view.scores.engagement).toBe(8);
    expect(view.ledger.map((l: LedgerRow) => [l.reason, l.delta, l.at])).toEqual([["flow", 8, h.at(2)]]);
  });
});

describe.each(testDatabaseKinds)("trigger.inactive counts engagement events only on %s", (kind) => {
  const h = harness();
  const quiet = {
    id: "quiet",
    name: "Quiet",
    reentry: "always",
    nodes: [
      { id: "t", type: "trigger.inactive", config: { days: 14 } },
      { id: "u", type: "lead.update", config: { properties: { wentQuiet: true } } },
    ],
    edges: [{ from: "t", to: "u" }],
  };
  const leads = ["machine", "bounce", "unsub", "visit", "old-visit"].map((n) => `${n}@example.com`);
  const runsOf = async (email: string) => {
    const db = h.s().ctx.deps.db;
    const rows = await db
      .selectFrom("flow_runs")
      .innerJoin("leads", "leads.id", "flow_runs.lead_id")
      .select("flow_runs.id")
      .where("flow_runs.flow_id", "=", "quiet")
      .where("leads.email_lower", "=", email)
      .execute();
    return rows.length;
  };

  beforeAll(async () => {
    h.ref.s = await startTestServer(kind);
    h.ref.t0 = h.s().clock.now().getTime();
    await setUp(h.s(), [quiet]);
    await h.send(leads.map((email) => ({ email, type: "page_view", properties: { url: "https://example.com/" } })));
    await h.tickAt(15);
    for (const email of leads) expect(await runsOf(email), email).toBe(1);
  });
  afterAll(() => h.ref.s?.close());

  it("a late machine open, bounce or unsubscribe inside the quiet spell neither ends it nor makes the lead active", async () => {
    h.s().clock.set(h.at(16));
    await h.send([
      { email: "machine@example.com", type: "email_open", properties: { machine: true }, occurredAt: h.at(10) },
      { email: "bounce@example.com", type: "email_bounce", occurredAt: h.at(10) },
      { email: "unsub@example.com", type: "unsubscribe", occurredAt: h.at(10) },
    ]);
    for (const email of ["machine@example.com", "bounce@example.com", "unsub@example.com"]) {
      expect((await h.lead(email)).lastActivityAt, email).toBe(h.at(0));
    }
    await h.tickAt(30);
    for (const email of ["machine@example.com", "bounce@example.com", "unsub@example.com"]) expect(await runsOf(email), email).toBe(1);
  });

  it("a late page view inside the spell ends it at its own time; one older than the spell changes nothing", async () => {
    h.s().clock.set(h.at(31));
    await h.send([
      { email: "visit@example.com", type: "page_view", properties: { url: "https://example.com/pricing" }, occurredAt: h.at(20) },
      { email: "old-visit@example.com", type: "page_view", properties: { url: "https://example.com/pricing" }, occurredAt: h.at(-5) },
    ]);
    expect((await h.lead("visit@example.com")).lastActivityAt).toBe(h.at(20));
    expect((await h.lead("old-visit@example.com")).lastActivityAt).toBe(h.at(0));
    // 14 days after the late visit's own time (day 34), not after it arrived (day 45)
    await h.tickAt(33);
    expect(await runsOf("visit@example.com")).toBe(1);
    await h.tickAt(34);
    expect(await runsOf("visit@example.com")).toBe(2);
    expect(await runsOf("old-visit@example.com")).toBe(1);
  });
});
