import { describe, expect, it } from "vitest";
import { applyEvent } from "./apply-event.js";
import { resumeRun } from "./resume-run.js";
import { defaultScoringModel } from "./tiers.js";
import { context, flows, lead, NOW, ofKind } from "./test-fixtures.js";
import type { EngineEvent, LeadState } from "./types.js";

const DAY = 86_400_000;
let n = 0;
const visit = (url: string, daysAgo: number): EngineEvent => ({
  id: `v-${++n}`, type: "page_view", properties: { url }, occurredAt: new Date(NOW.getTime() - daysAgo * DAY).toISOString(),
});

const pricingInterest = {
  id: "pricing-3x", name: "3 pricing visits in a week",
  nodes: [
    { id: "t", type: "trigger.event", config: { eventType: "page_view", where: [
      { field: "behaviour.count.page_view.7d", where: [{ field: "event.properties.url", op: "glob", value: "/pricing/**" }], op: "gte", value: 3 },
    ] } },
    { id: "p", type: "score.add", config: { points: 30, category: "pricing" } },
  ],
  edges: [{ from: "t", to: "p" }],
};

function applyAll(start: LeadState, events: EngineEvent[], ctx = context(flows(pricingInterest))) {
  let l = start;
  const points: number[] = [];
  for (const e of events) {
    const r = applyEvent(ctx, l, e);
    points.push(ofKind(r, "ledger").reduce((sum, x) => sum + x.delta, 0));
    l = r.lead;
  }
  return { lead: l, points };
}

describe("behaviour over time in the engine", () => {
  it("fires on the third pricing visit within a week, each event counting itself", () => {
    const { points } = applyAll(lead({ behaviour: [] }), [
      visit("https://example.com/pricing?utm_source=x", 5), visit("/blog", 4), visit("/PRICING/", 3), visit("/pricing/team", 2), visit("/pricing", 1),
    ]);
    expect(points).toEqual([0, 0, 0, 30, 30]);
  });

  it("does not fire when the visits are spread over three weeks, each counted as of its own time", () => {
    const { points } = applyAll(lead({ behaviour: [] }), [visit("/pricing", 20), visit("/pricing", 12), visit("/pricing", 4), visit("/pricing", 0)]);
    expect(points).toEqual([0, 0, 0, 0]);
  });

  it("counts the loaded history, and an event already in it once", () => {
    const earlier = [visit("/pricing", 3), visit("/pricing", 2)];
    const history = earlier.map((e) => ({ id: e.id, type: e.type, properties: e.properties, at: Date.parse(e.occurredAt) }));
    const again = applyAll(lead({ behaviour: history }), [earlier[1]!]);
    expect(again.points).toEqual([0]);
    expect(applyAll(lead({ behaviour: history }), [visit("/pricing", 0)]).points).toEqual([30]);
  });

  it("reads no behaviour for a lead whose history was not loaded", () => {
    const { points, lead: after } = applyAll(lead(), [visit("/pricing", 2), visit("/pricing", 1), visit("/pricing", 0)]);
    expect(points).toEqual([0, 0, 0]);
    expect(after.behaviour).toBeUndefined();
  });

  it("recomputes a fit rule on visit frequency as of each event", () => {
    const model = { ...defaultScoringModel, fitRules: [{ field: "behaviour.count.page_view.30d", op: "gte" as const, value: 2, points: 15 }] };
    const ctx = context(flows(), { model });
    const first = applyEvent(ctx, lead({ behaviour: [] }), visit("/", 10));
    expect(first.lead.fit).toBe(0);
    const second = applyEvent(ctx, first.lead, visit("/docs", 0));
    expect(second.lead.fit).toBe(15);
    expect(ofKind(second, "tier")).toEqual([]);
  });

  it("a condition after a wait reads behaviour as of the resume, not as of the event that started the run", () => {
    const doc = {
      id: "still-browsing", name: "Still browsing a week later",
      nodes: [
        { id: "t", type: "trigger.event", config: { eventType: "page_view" } },
        { id: "w", type: "wait", config: { days: 8 } },
        { id: "c", type: "condition", config: { where: [{ field: "behaviour.count.page_view.7d", op: "gte", value: 1 }] } },
        { id: "p", type: "score.add", config: { points: 5 } },
      ],
      edges: [{ from: "t", to: "w" }, { from: "w", to: "c" }, { from: "c", to: "p", port: "yes" }],
    };
    const set = flows(doc);
    const e = visit("/pricing", 0);
    const started = applyEvent(context(set), lead({ behaviour: [] }), e);
    const timer = ofKind(started, "timer")[0]!;
    const later = context(set, { now: new Date(NOW.getTime() + 8 * DAY) });
    const resumed = resumeRun(later, started.lead, { ...timer, event: e });
    expect(resumed.effects.find((x) => x.kind === "run")).toMatchObject({ path: ["c"] });
    expect(ofKind(resumed, "ledger")).toEqual([]);
  });
});
