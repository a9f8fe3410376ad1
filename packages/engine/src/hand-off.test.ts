import { describe, it, expect } from "vitest";
import { applyEvent } from "./apply-event.js";
import { computeFit } from "./fit.js";
import { defaultScoringModel } from "./tiers.js";
import { context, event, flows, lead, ofKind, rep } from "./test-fixtures.js";
import type { EngineContext, EngineResult, LeadState, ScoringModel } from "./types.js";

const model: ScoringModel = {
  ...defaultScoringModel,
  fitRules: [{ field: "country", op: "notIn", value: ["HU", "AT", "DE"], points: -20 }],
};

const handOff = {
  id: "hand-off",
  name: "Hand-off",
  nodes: [
    { id: "t-pricing", type: "trigger.event", config: { eventType: "page_view", where: [{ field: "event.properties.url", op: "contains", value: "/pricing" }] } },
    { id: "p-pricing", type: "score.add", config: { points: 10, category: "pricing" } },
    { id: "t-demo", type: "trigger.event", config: { eventType: "demo_request" } },
    { id: "p-demo", type: "score.add", config: { points: 30 } },
    { id: "h", type: "score.threshold", config: { atLeast: 50 } },
    { id: "e", type: "email.send", config: { templateId: "warm-intro" } },
    { id: "a", type: "sales.assign", config: { strategy: "round_robin" } },
  ],
  edges: [
    { from: "t-pricing", to: "p-pricing" },
    { from: "t-demo", to: "p-demo" },
    { from: "p-pricing", to: "h" },
    { from: "p-demo", to: "h" },
    { from: "h", to: "e" },
    { from: "h", to: "a" },
  ],
};

/** Applies events in order, carrying lead, reps and cursor like the runtime does. */
function play(ctx: EngineContext, start: LeadState, types: string[]) {
  let state = { lead: start, reps: ctx.reps, rrCursor: ctx.rrCursor };
  const results: EngineResult[] = [];
  for (const type of types) {
    const ev = type === "pricing" ? event("page_view", { url: "https://x.com/pricing" }) : event(type);
    const r = applyEvent({ ...ctx, reps: state.reps, rrCursor: state.rrCursor }, state.lead, ev);
    results.push(r);
    state = { lead: r.lead, reps: r.reps, rrCursor: r.rrCursor };
  }
  return { ...state, results, effects: results.flatMap((r) => r.effects) };
}

describe("scenario: hand-off", () => {
  const ctx = context(flows(handOff), { model, reps: [rep("rep1"), rep("rep2")] });
  const newLead = (id: string, country: string): LeadState => {
    const base = lead({ id, email: `${id}@example.com`, properties: { country } });
    return { ...base, fit: computeFit(model.fitRules, base) };
  };

  it("Anna (HU) reaches 50 at the second pricing visit, gets one e-mail and rep1; a fourth visit sends nothing more", () => {
    const anna = play(ctx, newLead("anna", "HU"), ["demo_request", "pricing", "pricing"]);
    expect(anna.lead.fit).toBe(0);
    expect(anna.lead.fit + anna.lead.engagement).toBe(50);
    expect(anna.lead.tier).toBe("Warm");
    expect(anna.lead.categories).toEqual({ pricing: 20 });
    expect(ofKind(anna.effects, "job").filter((j) => j.jobType === "email")).toEqual([
      expect.objectContaining({ nodeId: "e", payload: { templateId: "warm-intro" } }),
    ]);
    expect(anna.lead.ownerId).toBe("rep1");
    expect(anna.lead.stage).toBe("sql");
    expect(ofKind(anna.effects, "assign").map((a) => a.repId)).toEqual(["rep1"]);
    expect(ofKind(anna.effects, "job").filter((j) => j.jobType === "notify").map((j) => j.payload)).toEqual([{ repId: "rep1", reason: "assigned" }]);
    expect(anna.reps.map((r) => r.load)).toEqual([1, 0]);
    expect(ofKind(anna.effects, "tier").map((t) => [t.from, t.to])).toEqual([["Cold", "Warm"]]);

    const more = play({ ...ctx, reps: anna.reps, rrCursor: anna.rrCursor }, anna.lead, ["pricing"]);
    expect(more.lead.fit + more.lead.engagement).toBe(60);
    expect(ofKind(more.effects, "job")).toEqual([]);
    expect(ofKind(more.effects, "run")[0]!.path).toEqual(["t-pricing", "p-pricing", "h"]);

    // Ben (US, fit -20) continues the round robin where Anna left it
    const ben = play({ ...ctx, reps: anna.reps, rrCursor: anna.rrCursor }, newLead("ben", "US"), [
      "demo_request", "pricing", "pricing", "pricing", "pricing",
    ]);
    expect(ben.lead.fit).toBe(-20);
    const totals = ben.results.map((r) => r.lead.fit + r.lead.engagement);
    expect(totals).toEqual([10, 20, 30, 40, 50]);
    const emailsPerEvent = ben.results.map((r) => ofKind(r, "job").filter((j) => j.jobType === "email").length);
    expect(emailsPerEvent).toEqual([0, 0, 0, 0, 1]);
    expect(ben.lead.ownerId).toBe("rep2");
    expect(ben.reps.map((r) => r.load)).toEqual([1, 1]);
  });

  it("orders effects causally and does not touch its inputs", () => {
    const start = { ...newLead("anna", "HU"), engagement: 40, categories: { pricing: 10 }, tier: "Warm" };
    const frozen = JSON.stringify(start);
    const reps = ctx.reps.map((r) => ({ ...r }));
    const r = applyEvent({ ...ctx, reps }, start, event("page_view", { url: "/pricing" }));
    expect(JSON.stringify(start)).toBe(frozen);
    expect(reps.map((x) => x.load)).toEqual([0, 0]);
    expect(r.effects.map((e) => e.kind)).toEqual(["run", "ledger", "job", "assign", "job"]);
    expect(ofKind(r, "run")[0]).toMatchObject({ path: ["t-pricing", "p-pricing", "h", "e", "a"], status: "completed", triggerNodeId: "t-pricing" });
    expect(r.lead.flowState.thresholds).toEqual({ "hand-off:h": { atLeast: 50, score: "total" } });
    expect(r.lead.flowState.entries["hand-off"]).toEqual({ count: 1, lastAt: ctx.now.toISOString() });
    expect(r.lead.lastActivityAt).toBe(ctx.now.toISOString());
  });

  it("does not start a run when the trigger's where fails", () => {
    const r = applyEvent(ctx, newLead("anna", "HU"), event("page_view", { url: "/blog" }));
    expect(r.effects).toEqual([]);
    expect(r.lead.lastActivityAt).not.toBeNull();
  });
});
