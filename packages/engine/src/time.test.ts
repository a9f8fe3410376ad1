import { describe, expect, it } from "vitest";
import { applyEvent } from "./apply-event.js";
import { decayScores, type DecayEntry } from "./decay.js";
import { rescore } from "./rescore.js";
import { fireInactive } from "./run-trigger.js";
import { chain, context, event, flows, lead, NOW, ofKind } from "./test-fixtures.js";
import { isTimeZone, waitDueAt } from "./wait.js";

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

describe("waitDueAt in time zones", () => {
  it("finds the next hour:00 on an allowed weekday in the lead's zone", () => {
    // 2026-03-02T10:00Z is Monday 05:00 in New York (EST, UTC−5)
    expect(waitDueAt({ until: { hour: 9 } }, NOW, "America/New_York").toISOString()).toBe("2026-03-02T14:00:00.000Z");
    // Monday 19:00 in Tokyo: 09:00 Tokyo next is Tuesday 00:00Z
    expect(waitDueAt({ until: { hour: 9 } }, NOW, "Asia/Tokyo").toISOString()).toBe("2026-03-03T00:00:00.000Z");
    // Friday (5) 09:00 in Budapest (CET, UTC+1)
    expect(waitDueAt({ until: { hour: 9, weekdays: [5] } }, NOW, "Europe/Budapest").toISOString()).toBe("2026-03-06T08:00:00.000Z");
  });

  it("uses the local weekday, not the UTC one", () => {
    // Sunday 2026-03-01 20:00 in New York is already Monday 01:00Z
    const sundayEvening = at("2026-03-02T01:00:00Z");
    expect(waitDueAt({ until: { hour: 21, weekdays: [0] } }, sundayEvening, "America/New_York").toISOString()).toBe("2026-03-02T02:00:00.000Z");
    expect(waitDueAt({ until: { hour: 21, weekdays: [1] } }, sundayEvening, "America/New_York").toISOString()).toBe("2026-03-03T02:00:00.000Z");
  });

  it("follows daylight saving time", () => {
    // Budapest moves to CEST (UTC+2) on 2026-03-29: 09:00 is 08:00Z before, 07:00Z after
    expect(waitDueAt({ until: { hour: 9 } }, at("2026-03-28T12:00:00Z"), "Europe/Budapest").toISOString()).toBe("2026-03-29T07:00:00.000Z");
    expect(waitDueAt({ until: { hour: 9 } }, at("2026-03-27T12:00:00Z"), "Europe/Budapest").toISOString()).toBe("2026-03-28T08:00:00.000Z");
    // 02:00 does not exist that night: the window opens at 03:00 CEST
    expect(waitDueAt({ until: { hour: 2 } }, at("2026-03-28T12:00:00Z"), "Europe/Budapest").toISOString()).toBe("2026-03-29T01:00:00.000Z");
  });

  it("is strictly after now, and falls back to UTC for an unknown zone", () => {
    expect(waitDueAt({ until: { hour: 5 } }, NOW, "America/New_York").toISOString()).toBe("2026-03-03T10:00:00.000Z");
    expect(waitDueAt({ until: { hour: 11 } }, NOW, "Mars/Olympus").toISOString()).toBe("2026-03-02T11:00:00.000Z");
    expect(isTimeZone("Europe/Budapest")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone(42)).toBe(false);
  });

  it("a wait node uses the lead's timeZone property, else the workspace's", () => {
    const set = flows(chain("w", "signup", [{ id: "w", type: "wait", config: { until: { hour: 9 } } }]));
    const due = (props: Record<string, unknown>, timeZone?: string) =>
      ofKind(applyEvent(context(set, { timeZone }), lead({ properties: props }), event("signup")), "timer")[0]!.dueAt;
    expect(due({ timeZone: "Asia/Tokyo" }, "America/New_York")).toBe("2026-03-03T00:00:00.000Z");
    expect(due({}, "America/New_York")).toBe("2026-03-02T14:00:00.000Z");
    expect(due({ timeZone: "nowhere" })).toBe("2026-03-03T09:00:00.000Z");
  });
});

describe("decayScores", () => {
  const halfLife = { kind: "halfLife", days: 30 } as const;
  const entry = (delta: number, when: number, category: string | null = null, expiresAt: number | null = null): DecayEntry => ({
    id: String(when), delta, category, at: when, expiresAt,
  });
  const t0 = NOW.getTime();

  it("halves after one half-life however often it is applied, and changes nothing at the same instant", () => {
    const e = entry(100, t0, "pricing");
    const once = decayScores({ engagement: 100, categories: { pricing: 100 }, decayedAt: null, now: t0 + 30 * DAY, policy: halfLife, fresh: [e], unexpired: [] });
    expect(once.engagement).toBeCloseTo(50, 10);
    let state = { engagement: 100, categories: { pricing: 100 } as Record<string, number>, decayedAt: null as number | null };
    for (let d = 1; d <= 60; d++) {
      const now = t0 + d * DAY;
      const fresh = state.decayedAt === null ? [e] : [];
      const r = decayScores({ ...state, now, policy: halfLife, fresh, unexpired: [] });
      const again = decayScores({ engagement: r.engagement, categories: r.categories, decayedAt: now, now, policy: halfLife, fresh: [], unexpired: [] });
      expect(again.engagement).toBe(r.engagement);
      state = { engagement: r.engagement, categories: r.categories, decayedAt: now };
      if (d === 30) expect(state.engagement).toBeCloseTo(50, 9);
    }
    expect(state.engagement).toBeCloseTo(25, 9);
    expect(state.categories.pricing).toBeCloseTo(25, 9);
  });

  it("decays points written after the last pass only from when they were written", () => {
    // 100 decayed to 50 at day 30; +40 written at day 45; at day 60: 25 + 40·0.5^(15/30)
    const r = decayScores({ engagement: 90, categories: {}, decayedAt: t0 + 30 * DAY, now: t0 + 60 * DAY, policy: halfLife, fresh: [entry(40, t0 + 45 * DAY)], unexpired: [] });
    expect(r.engagement).toBeCloseTo(25 + 40 * Math.SQRT1_2, 9);
  });

  it("takes back expired entries at what they were worth, by policy or by the entry's own expiry", () => {
    const policy = { kind: "expire", days: 10 } as const;
    const a = entry(30, t0, "demo");
    const b = entry(20, t0 + 5 * DAY, null, t0 + 7 * DAY);
    const r = decayScores({ engagement: 50, categories: { demo: 30 }, decayedAt: null, now: t0 + 8 * DAY, policy, fresh: [], unexpired: [a, b] });
    expect(r.engagement).toBe(30);
    expect(r.expired.map((x) => [x.entry.id, x.value, x.at])).toEqual([[b.id, 20, t0 + 7 * DAY]]);
    const later = decayScores({ engagement: 30, categories: { demo: 30 }, decayedAt: t0 + 8 * DAY, now: t0 + 10 * DAY, policy, fresh: [], unexpired: [a] });
    expect(later).toEqual({ engagement: 0, categories: {}, expired: [{ entry: a, at: t0 + 10 * DAY, value: 30 }] });
    // under a half-life, an entry expiring after 30 days is taken back at half its points
    const hl = decayScores({ engagement: 10, categories: {}, decayedAt: null, now: t0 + 31 * DAY, policy: halfLife, fresh: [entry(10, t0, null, t0 + 30 * DAY)], unexpired: [entry(10, t0, null, t0 + 30 * DAY)] });
    expect(hl.engagement).toBeCloseTo(0, 9);
    expect(hl.expired[0]!.value).toBeCloseTo(5, 9);
  });
});

describe("decay through rescore", () => {
  const drop = {
    id: "drop",
    name: "drop",
    reentry: "always",
    nodes: [
      { id: "t", type: "trigger.score", config: { crosses: 30, direction: "down" } },
      { id: "m", type: "email.send", config: { templateId: "come-back" } },
    ],
    edges: [{ from: "t", to: "m" }],
  };
  it("a decayed score crossing down starts the run, each crossing again", () => {
    const ctx = context(flows(drop));
    const hot = lead({ engagement: 40, tier: "Warm" });
    const r = rescore(ctx, hot, 25, {});
    expect(ofKind(r, "run")).toHaveLength(1);
    expect(ofKind(r, "tier")).toEqual([expect.objectContaining({ from: "Warm", to: "Cold" })]);
    const back = rescore(ctx, rescore(ctx, r.lead, 35, {}).lead, 20, {});
    expect(ofKind(back, "run")).toHaveLength(1);
    expect(back.lead.flowState.entries.drop!.count).toBe(2);
  });
});

describe("trigger.inactive", () => {
  const quiet = {
    id: "quiet",
    name: "quiet",
    reentry: "always",
    nodes: [
      { id: "t", type: "trigger.inactive", config: { days: 14 } },
      { id: "m", type: "email.send", config: { templateId: "miss-you" } },
    ],
    edges: [{ from: "t", to: "m" }],
  };
  const set = flows(quiet);
  const since = new Date(NOW.getTime() - 15 * DAY).toISOString();

  it("fires once per quiet spell; a new event starts a new spell", () => {
    const ctx = context(set);
    const first = fireInactive(ctx, lead({ lastActivityAt: since }), { flowId: "quiet", nodeId: "t" }, since);
    expect(ofKind(first, "run")).toHaveLength(1);
    expect(first.lead.flowState.inactive).toEqual({ "quiet:t": since });
    expect(fireInactive(ctx, first.lead, { flowId: "quiet", nodeId: "t" }, since).effects).toEqual([]);

    const active = applyEvent(ctx, first.lead, event("page_view"));
    expect(active.lead.flowState.inactive).toBeUndefined();
    const laterCtx = context(set, { now: new Date(NOW.getTime() + 14 * DAY) });
    expect(ofKind(fireInactive(laterCtx, active.lead, { flowId: "quiet", nodeId: "t" }, active.lead.lastActivityAt!), "run")).toHaveLength(1);
  });

  it("does not fire before the days have passed", () => {
    const recent = new Date(NOW.getTime() - 13 * DAY).toISOString();
    expect(fireInactive(context(set), lead({ lastActivityAt: recent }), { flowId: "quiet", nodeId: "t" }, recent).effects).toEqual([]);
  });
});
