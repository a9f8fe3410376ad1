import { describe, expect, it } from "vitest";
import { applyEvent } from "./apply-event.js";
import { decayScores } from "./decay.js";
import { isEngagementEvent } from "./engagement.js";
import { resumeRun } from "./resume-run.js";
import { chain, context, event, flows, lead, NOW, ofKind } from "./test-fixtures.js";
import { defaultScoringModel } from "./tiers.js";
import type { EngineEvent } from "./types.js";

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY).toISOString();
const late = (type: string, days: number, properties: Record<string, unknown> = {}): EngineEvent => ({ ...event(type, properties), occurredAt: daysAgo(days) });
const halfLife = { ...defaultScoringModel, decay: { kind: "halfLife", days: 30 } as const };

describe("points count from the event's time", () => {
  const demo = chain("demo", "demo_request", [
    { id: "p", type: "score.add", config: { points: 40, category: "demo" } },
    { id: "h", type: "score.threshold", config: { atLeast: 20, score: "engagement" } },
    { id: "m", type: "email.send", config: { templateId: "hot" } },
  ]);

  it("a 60-day-old demo request under a 30-day half-life is credited a quarter, and the threshold sees that", () => {
    const r = applyEvent(context(flows(demo), { model: halfLife }), lead(), late("demo_request", 60));
    const [entry] = ofKind(r, "ledger");
    expect(entry).toMatchObject({ delta: 40, at: daysAgo(60), expiredAt: null });
    expect(entry!.credited).toBeCloseTo(10, 9);
    expect(r.lead.engagement).toBeCloseTo(10, 9);
    expect(r.lead.categories.demo).toBeCloseTo(10, 9);
    // 10 < 20: the late points do not pass a threshold their full value would have
    expect(ofKind(r, "job")).toEqual([]);
  });

  it("an event on time (or dated after now) is credited in full at now", () => {
    const ctx = context(flows(demo), { model: halfLife });
    const onTime = ofKind(applyEvent(ctx, lead(), event("demo_request")), "ledger")[0]!;
    expect(onTime).toMatchObject({ delta: 40, credited: 40, at: NOW.toISOString() });
    const ahead = { ...event("demo_request"), occurredAt: new Date(NOW.getTime() + DAY).toISOString() };
    expect(ofKind(applyEvent(ctx, lead(), ahead), "ledger")[0]).toMatchObject({ credited: 40, at: NOW.toISOString() });
  });

  it("expiresAfterDays counts from the event's time; an entry already past it is stored without points", () => {
    const doc = chain("exp", "webinar", [{ id: "p", type: "score.add", config: { points: 20, expiresAfterDays: 30 } }]);
    const ctx = context(flows(doc));
    const recent = ofKind(applyEvent(ctx, lead(), late("webinar", 10)), "ledger")[0]!;
    expect(recent).toMatchObject({ delta: 20, credited: 20, expiresAt: daysAgo(-20), expiredAt: null });
    const old = applyEvent(ctx, lead(), late("webinar", 40));
    expect(ofKind(old, "ledger")[0]).toMatchObject({ delta: 20, credited: 0, at: daysAgo(40), expiredAt: daysAgo(10) });
    expect(old.lead.engagement).toBe(0);
  });

  it("the expire policy counts from the event's time too", () => {
    const doc = chain("exp", "webinar", [{ id: "p", type: "score.add", config: { points: 20 } }]);
    const ctx = context(flows(doc), { model: { ...defaultScoringModel, decay: { kind: "expire", days: 30 } } });
    expect(ofKind(applyEvent(ctx, lead(), late("webinar", 31)), "ledger")[0]).toMatchObject({ credited: 0, expiredAt: daysAgo(1) });
    expect(ofKind(applyEvent(ctx, lead(), late("webinar", 29)), "ledger")[0]).toMatchObject({ credited: 20, expiredAt: null });
  });

  it("a category cap bounds what a late entry adds, not its raw points", () => {
    const doc = chain("cap", "page_view", [{ id: "p", type: "score.add", config: { points: 40, category: "pages" } }]);
    const ctx = context(flows(doc), { model: { ...halfLife, categoryCaps: { pages: 25 } } });
    const r = applyEvent(ctx, lead({ engagement: 20, categories: { pages: 20 } }), late("page_view", 60));
    const [entry] = ofKind(r, "ledger");
    expect(entry!.credited).toBeCloseTo(5, 9);
    expect(entry!.delta).toBeCloseTo(20, 9);
    expect(r.lead.categories.pages).toBeCloseTo(25, 9);
  });

  it("points given after a wait count from when the run resumed, not from the event", () => {
    const doc = chain("later", "demo_request", [
      { id: "w", type: "wait", config: { days: 1 } },
      { id: "p", type: "score.add", config: { points: 40 } },
    ]);
    const set = flows(doc);
    const e = late("demo_request", 60);
    const started = applyEvent(context(set, { model: halfLife }), lead(), e);
    const [timer] = ofKind(started, "timer");
    // the wait counts from processing: the flow runs now, whatever the event's age
    expect(timer!.dueAt).toBe(new Date(NOW.getTime() + DAY).toISOString());
    const resumedAt = new Date(timer!.dueAt);
    const resumed = resumeRun(context(set, { model: halfLife, now: resumedAt }), started.lead, { ...timer!, event: e });
    expect(ofKind(resumed, "ledger")[0]).toMatchObject({ delta: 40, credited: 40, at: resumedAt.toISOString() });
  });

  it("the decay pass takes a late entry on from what it was credited, exactly", () => {
    // credited 10 at NOW (60 days late, decayedAt a day before); 30 days on it is worth 40·0.5^3 = 5
    const entry = { id: "1", delta: 40, category: null, at: NOW.getTime() - 60 * DAY, processedAt: NOW.getTime(), expiresAt: null };
    const r = decayScores({
      engagement: 10 + 16, categories: {}, decayedAt: NOW.getTime() - DAY, now: NOW.getTime() + 30 * DAY,
      policy: halfLife.decay, fresh: [entry], unexpired: [],
    });
    // the 16 held before decays over 31 days; the late entry over 90 days from its own time
    expect(r.engagement).toBeCloseTo(16 * 0.5 ** (31 / 30) + 5, 9);
  });
});

describe("engagement events", () => {
  it("counts what a person did, not machine opens, bounces, unsubscribes or system events", () => {
    for (const [type, props] of [["page_view", {}], ["form_submit", {}], ["email_click", {}], ["email_open", { machine: false }], ["demo_request", {}]] as const) {
      expect(isEngagementEvent(type, props), type).toBe(true);
    }
    for (const [type, props] of [
      ["email_open", { machine: true }], ["email_click", { machine: true }], ["email_bounce", {}], ["unsubscribe", {}],
      ["deal.won", {}], ["system.import", {}], ["note", { system: true }], ["identify", {}], ["group", {}], ["alias", {}],
    ] as const) {
      expect(isEngagementEvent(type, props), type).toBe(false);
    }
  });

  it("only engagement moves last activity and ends a quiet spell; an old one leaves both alone", () => {
    const spellStart = daysAgo(20);
    const quiet = lead({ lastActivityAt: spellStart, flowState: { thresholds: {}, entries: {}, inactive: { "quiet:t": spellStart } } });
    const ctx = context(flows());
    for (const e of [late("email_open", 5, { machine: true }), late("email_bounce", 5), late("unsubscribe", 5)]) {
      const r = applyEvent(ctx, quiet, e);
      expect(r.lead.lastActivityAt, e.type).toBe(spellStart);
      expect(r.lead.flowState.inactive, e.type).toEqual({ "quiet:t": spellStart });
    }
    const older = applyEvent(ctx, quiet, late("page_view", 30));
    expect(older.lead.lastActivityAt).toBe(spellStart);
    expect(older.lead.flowState.inactive).toEqual({ "quiet:t": spellStart });
    const within = applyEvent(ctx, quiet, late("page_view", 5));
    expect(within.lead.lastActivityAt).toBe(daysAgo(5));
    expect(within.lead.flowState.inactive).toBeUndefined();
  });
});
