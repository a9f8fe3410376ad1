import { describe, it, expect } from "vitest";
import { applyEvent } from "./apply-event.js";
import { resumeRun } from "./resume-run.js";
import { rescore } from "./rescore.js";
import { updateLeadProperties } from "./update-lead-properties.js";
import { runTrigger } from "./run-trigger.js";
import { MAX_TRIGGER_DEPTH } from "./run.js";
import { defaultScoringModel } from "./tiers.js";
import { chain, context, event, flows, lead, NOW, ofKind, rep } from "./test-fixtures.js";

const DAY = 86_400_000;

describe("condition ports", () => {
  const doc = {
    id: "cond",
    name: "cond",
    nodes: [
      { id: "t", type: "trigger.event", config: { eventType: "form_submit" } },
      { id: "c", type: "condition", config: { where: [{ field: "lead.country", op: "eq", value: "de" }, { field: "event.properties.form", op: "eq", value: "demo" }], match: "any" } },
      { id: "y", type: "email.send", config: { templateId: "yes" } },
      { id: "n", type: "email.send", config: { templateId: "no" } },
    ],
    edges: [{ from: "t", to: "c" }, { from: "c", to: "y", port: "yes" }, { from: "c", to: "n", port: "no" }],
  };
  const ctx = context(flows(doc));
  const templateOf = (country: string, form: string) =>
    ofKind(applyEvent(ctx, lead({ properties: { country } }), event("form_submit", { form })), "job").map((j) => j.payload.templateId);
  it("follows yes or no", () => {
    expect(templateOf("DE", "contact")).toEqual(["yes"]);
    expect(templateOf("US", "Demo")).toEqual(["yes"]);
    expect(templateOf("US", "contact")).toEqual(["no"]);
  });
});

describe("split", () => {
  const doc = {
    id: "ab",
    name: "ab",
    nodes: [
      { id: "t", type: "trigger.event", config: { eventType: "x" } },
      { id: "s", type: "split", config: { variants: [{ name: "a", weight: 9 }, { name: "b", weight: 1 }] } },
      { id: "ea", type: "email.send", config: { templateId: "a" } },
      { id: "eb", type: "email.send", config: { templateId: "b" } },
    ],
    edges: [{ from: "t", to: "s" }, { from: "s", to: "ea", port: "a" }, { from: "s", to: "eb", port: "b" }],
  };
  const ctx = context(flows(doc));
  const variantOf = (id: string) => ofKind(applyEvent(ctx, lead({ id }), event("x")), "job")[0]!.payload.templateId;
  it("gives a lead the same variant every time and follows the weights", () => {
    for (const id of ["l1", "l2", "l3"]) expect(variantOf(id)).toBe(variantOf(id));
    const as = Array.from({ length: 1000 }, (_, i) => variantOf(`lead-${i}`)).filter((v) => v === "a").length;
    expect(as).toBeGreaterThan(850);
    expect(as).toBeLessThan(950);
  });
});

describe("reentry", () => {
  const mk = (reentry: unknown) => context(flows(chain("f", "x", [{ id: "p", type: "score.add", config: { points: 1 } }], { reentry })));
  it("once: never a second run", () => {
    const ctx = mk("once");
    const first = applyEvent(ctx, lead(), event("x"));
    expect(ofKind(first, "run")).toHaveLength(1);
    const later = applyEvent({ ...ctx, now: new Date(NOW.getTime() + 365 * DAY) }, first.lead, event("x"));
    expect(later.effects).toEqual([]);
  });
  it("cooldown: again only after the days have passed", () => {
    const ctx = mk({ cooldownDays: 2 });
    const first = applyEvent(ctx, lead(), event("x"));
    expect(applyEvent({ ...ctx, now: new Date(NOW.getTime() + DAY) }, first.lead, event("x")).effects).toEqual([]);
    const again = applyEvent({ ...ctx, now: new Date(NOW.getTime() + 2 * DAY) }, first.lead, event("x"));
    expect(ofKind(again, "run")).toHaveLength(1);
    expect(again.lead.flowState.entries.f!.count).toBe(2);
  });
  it("always", () => {
    const ctx = mk("always");
    const first = applyEvent(ctx, lead(), event("x"));
    expect(ofKind(applyEvent(ctx, first.lead, event("x")), "run")).toHaveLength(1);
  });
});

describe("score.threshold", () => {
  const doc = chain("warm", "visit", [
    { id: "p", type: "score.add", config: { points: 10 } },
    { id: "h", type: "score.threshold", config: { atLeast: 20, score: "engagement" } },
    { id: "e", type: "email.send", config: { templateId: "hi" } },
  ]);
  const ctx = context(flows(doc));
  it("passes once, re-arms when the score drops below and passes again", () => {
    let l = lead();
    const emails: number[] = [];
    const step = (fn: () => ReturnType<typeof applyEvent>) => {
      const r = fn();
      l = r.lead;
      emails.push(ofKind(r, "job").length);
    };
    step(() => applyEvent(ctx, l, event("visit"))); // 10
    step(() => applyEvent(ctx, l, event("visit"))); // 20 passes
    step(() => applyEvent(ctx, l, event("visit"))); // 30 already passed
    expect(l.flowState.thresholds["warm:h"]).toEqual({ atLeast: 20, score: "engagement" });
    step(() => rescore(ctx, l, 5, {})); // decay cools the lead: re-armed
    expect(l.flowState.thresholds).toEqual({});
    step(() => applyEvent(ctx, l, event("visit"))); // 15
    step(() => applyEvent(ctx, l, event("visit"))); // 25 passes again
    expect(emails).toEqual([0, 1, 0, 0, 0, 1]);
  });
});

describe("score.add", () => {
  const doc = chain("cap", "page_view", [{ id: "p", type: "score.add", config: { points: 10, category: "pages", expiresAfterDays: 30 } }]);
  const ctx = context(flows(doc), { model: { ...defaultScoringModel, categoryCaps: { pages: 25 } } });
  it("writes a ledger entry with its expiry and clamps to the category cap", () => {
    let l = lead();
    const deltas: number[][] = [];
    for (let i = 0; i < 4; i++) {
      const r = applyEvent(ctx, l, event("page_view"));
      deltas.push(ofKind(r, "ledger").map((e) => e.delta));
      if (i === 0) {
        expect(ofKind(r, "ledger")[0]).toMatchObject({ flowId: "cap", version: 1, nodeId: "p", category: "pages", expiresAt: "2026-04-01T10:00:00.000Z", eventId: expect.any(String) });
      }
      l = r.lead;
    }
    expect(deltas).toEqual([[10], [10], [5], []]);
    expect(l.categories).toEqual({ pages: 25 });
    expect(l.engagement).toBe(25);
  });
});

describe("trigger.score", () => {
  const adder = chain("adder", "x", [{ id: "p", type: "score.add", config: { points: 40 } }]);
  const remover = chain("remover", "y", [{ id: "p", type: "score.add", config: { points: -40 } }]);
  const onScore = (id: string, crosses: number, direction: "up" | "down", score = "total") => ({
    id,
    name: id,
    nodes: [
      { id: "s", type: "trigger.score", config: { crosses, direction, score } },
      { id: "e", type: "email.send", config: { templateId: id } },
    ],
    edges: [{ from: "s", to: "e" }],
  });
  const ctx = context(flows(adder, remover, onScore("hot", 30, "up"), onScore("cooled", 30, "down"), onScore("far", 100, "up"), onScore("cat", 1, "up", "category.none")));
  const templates = (r: ReturnType<typeof applyEvent>) => ofKind(r, "job").map((j) => j.payload.templateId);

  it("fires up crossings (before < value <= after) and down crossings (before >= value > after)", () => {
    const up = applyEvent(ctx, lead({ engagement: -10 }), event("x")); // -10 -> 30
    expect(templates(up)).toEqual(["hot"]);
    expect(up.effects.map((e) => e.kind)).toEqual(["run", "ledger", "tier", "run", "job"]);
    expect(ofKind(up, "run")[1]).toMatchObject({ flowId: "hot", triggerNodeId: "s", eventId: ofKind(up, "run")[0]!.eventId });
    const down = applyEvent(ctx, up.lead, event("y")); // 30 -> -10
    expect(templates(down)).toEqual(["cooled"]);
    const notCrossed = applyEvent(ctx, lead({ engagement: 30 }), event("x")); // 30 -> 70
    expect(templates(notCrossed)).toEqual([]);
  });

  it("fires on property changes (fit) and on rescore", () => {
    const model = { ...defaultScoringModel, fitRules: [{ field: "jobTitle", op: "contains" as const, value: "director", points: 35 }] };
    const c = { ...ctx, model };
    const r = updateLeadProperties(c, lead(), { jobTitle: "Director" });
    expect(r.lead.fit).toBe(35);
    expect(templates(r)).toEqual(["hot"]);
    expect(ofKind(rescore(c, lead({ engagement: 50 }), 20, {}), "job").map((j) => j.payload.templateId)).toEqual(["cooled"]);
  });

  it("stops loops at the depth bound", () => {
    const ping = {
      id: "ping", name: "ping",
      nodes: [{ id: "s", type: "trigger.score", config: { crosses: 10, direction: "up" } }, { id: "p", type: "score.add", config: { points: -20 } }],
      edges: [{ from: "s", to: "p" }],
    };
    const pong = {
      id: "pong", name: "pong",
      nodes: [{ id: "s", type: "trigger.score", config: { crosses: 10, direction: "down" } }, { id: "p", type: "score.add", config: { points: 20 } }],
      edges: [{ from: "s", to: "p" }],
    };
    const loopCtx = context(flows(chain("start", "x", [{ id: "p", type: "score.add", config: { points: 20 } }]), ping, pong));
    const r = applyEvent(loopCtx, lead(), event("x"));
    const runs = ofKind(r, "run").map((e) => e.flowId);
    expect(runs).toEqual(["start", "ping", "pong", "ping", "pong", "ping"]);
    expect(runs.length).toBe(1 + MAX_TRIGGER_DEPTH);
  });
});

describe("wait and resumeRun", () => {
  const doc = chain("nurture", "signup", [
    { id: "e1", type: "email.send", config: { templateId: "welcome" } },
    { id: "w", type: "wait", config: { days: 2 } },
    { id: "c", type: "condition", config: { where: [{ field: "event.properties.plan", op: "eq", value: "pro" }] } },
  ]);
  (doc.nodes as unknown[]).push({ id: "e2", type: "email.send", config: { templateId: "pro-tips" } }, { id: "x", type: "exit" });
  (doc.edges as unknown[]).push({ from: "c", to: "e2", port: "yes" }, { from: "c", to: "x", port: "no" });
  const ctx = context(flows(doc));

  it("pauses with a timer and continues under the same run id", () => {
    const ev = event("signup", { plan: "pro" });
    const first = applyEvent(ctx, lead(), ev);
    const [run] = ofKind(first, "run");
    expect(run).toMatchObject({ status: "waiting", path: ["t", "e1", "w"] });
    const [timer] = ofKind(first, "timer");
    expect(timer).toEqual({ kind: "timer", runId: run!.runId, flowId: "nurture", version: 1, nodeId: "w", dueAt: new Date(NOW.getTime() + 2 * 86_400_000).toISOString(), triggerNodeId: "t" });

    const later = { ...ctx, now: new Date(timer!.dueAt) };
    const resumed = resumeRun(later, first.lead, { ...timer!, event: ev });
    expect(ofKind(resumed, "run")).toEqual([
      expect.objectContaining({ runId: run!.runId, status: "completed", path: ["c", "e2"], triggerNodeId: "t", resumedFrom: "w", eventId: ev.id }),
    ]);
    expect(ofKind(resumed, "job").map((j) => j.payload.templateId)).toEqual(["pro-tips"]);
    // entries count runs started, not continuations
    expect(resumed.lead.flowState.entries.nurture!.count).toBe(1);

    const noEvent = resumeRun(later, first.lead, timer!);
    expect(ofKind(noEvent, "run")[0]!.path).toEqual(["c", "x"]);
  });

  it("does nothing when the version differs", () => {
    const r = resumeRun(ctx, lead(), { runId: "r", flowId: "nurture", version: 2, nodeId: "w" });
    expect(r.effects).toEqual([]);
    expect(resumeRun(ctx, lead(), { runId: "r", flowId: "gone", version: 1, nodeId: "w" }).effects).toEqual([]);
  });
});

describe("actions", () => {
  it("sales.assign keeps an active owner, replaces an inactive one, and skips when nobody is eligible", () => {
    const ctx = context(flows(chain("as", "x", [{ id: "a", type: "sales.assign", config: { strategy: "least_loaded" } }, { id: "n", type: "sales.notify", config: { to: "owner" } }])), {
      reps: [rep("r1", { load: 2 }), rep("r2", { load: 1, active: false }), rep("r3", { load: 1 })],
    });
    const kept = applyEvent(ctx, lead({ ownerId: "r1" }), event("x"));
    expect(ofKind(kept, "assign")).toEqual([]);
    expect(ofKind(kept, "job")).toEqual([expect.objectContaining({ jobType: "notify", payload: { to: "owner", repId: "r1" } })]);

    const moved = applyEvent(ctx, lead({ ownerId: "r2" }), event("x"));
    expect(moved.lead.ownerId).toBe("r3");
    expect(moved.reps.map((r) => r.load)).toEqual([2, 0, 2]);
    expect(ofKind(moved, "job").map((j) => j.payload)).toEqual([{ repId: "r3", reason: "assigned" }, { to: "owner", repId: "r3" }]);

    const none = applyEvent({ ...ctx, reps: [rep("r9", { capacity: 1, load: 1 })] }, lead(), event("x"));
    expect(none.lead.ownerId).toBeNull();
    expect(ofKind(none, "assign")).toEqual([]);
    expect(ofKind(none, "run")[0]!.path).toEqual(["t", "a", "n"]);
  });

  it("lead.update sets stage and properties and recomputes fit", () => {
    const model = { ...defaultScoringModel, fitRules: [{ field: "segment", op: "eq" as const, value: "enterprise", points: 40 }] };
    const ctx = context(flows(chain("up", "x", [{ id: "u", type: "lead.update", config: { stage: "mql", properties: { segment: "Enterprise", old: null } } }])), { model });
    const r = applyEvent(ctx, lead({ properties: { old: 1 } }), event("x"));
    expect(r.lead).toMatchObject({ stage: "mql", properties: { segment: "Enterprise" }, fit: 40, tier: "Warm" });
    expect(ofKind(r, "tier")).toEqual([{ kind: "tier", from: "Cold", to: "Warm", eventId: expect.any(String) }]);
  });

  it("webhook and exit", () => {
    const doc = chain("wh", "x", [{ id: "h", type: "webhook", config: { url: "https://example.com/h" } }, { id: "x", type: "exit" }]);
    const ev = event("x");
    const r = applyEvent(context(flows(doc)), lead(), ev);
    expect(ofKind(r, "job")).toEqual([{ kind: "job", runId: "id-1", flowId: "wh", nodeId: "h", jobType: "webhook", payload: { url: "https://example.com/h", method: "POST", eventId: ev.id } }]);
    expect(ofKind(r, "run")[0]).toMatchObject({ path: ["t", "h", "x"], status: "completed" });
  });

  it("a webhook reached after a wait without an event names no event", () => {
    const doc = chain("wh-later", "x", [{ id: "w", type: "wait", config: { hours: 1 } }, { id: "h", type: "webhook", config: { url: "https://example.com/h" } }]);
    const ctx = context(flows(doc));
    const first = applyEvent(ctx, lead(), event("x"));
    const [timer] = ofKind(first, "timer");
    const resumed = resumeRun({ ...ctx, now: new Date(timer!.dueAt) }, first.lead, timer!);
    expect(ofKind(resumed, "job").map((j) => j.payload)).toEqual([{ url: "https://example.com/h", method: "POST", eventId: null }]);
  });

  describe("exit ends its own branch only", () => {
    const nodes = [
      { id: "t", type: "trigger.event", config: { eventType: "x" } },
      { id: "a", type: "score.add", config: { points: 1 } },
      { id: "b", type: "score.add", config: { points: 2 } },
      { id: "e", type: "email.send", config: { templateId: "once" } },
      { id: "x", type: "exit" },
      { id: "late", type: "email.send", config: { templateId: "late" } },
    ];
    const edges = [{ from: "t", to: "a" }, { from: "t", to: "b" }, { from: "a", to: "e" }, { from: "b", to: "e" }, { from: "b", to: "x" }, { from: "t", to: "late" }];
    const outcome = (edgeList: typeof edges) => {
      const r = applyEvent(context(flows({ id: "fan", name: "fan", nodes, edges: edgeList })), lead(), event("x"));
      const [run] = ofKind(r, "run");
      return { run: run!, jobs: ofKind(r, "job").map((j) => j.payload.templateId), engagement: r.lead.engagement };
    };

    it("other branches go on after an exit; a joining node acts once", () => {
      const r = outcome(edges);
      expect(r.run.path).toEqual(["t", "a", "e", "b", "x", "late"]);
      expect(r.run.status).toBe("completed");
      expect(r.jobs).toEqual(["once", "late"]);
      expect(r.engagement).toBe(3);
    });

    it("the same flow with its edges in another order does the same", () => {
      const forward = outcome(edges);
      const backward = outcome([...edges].reverse());
      expect(backward.run.path).not.toEqual(forward.run.path);
      expect([...backward.run.path].sort()).toEqual([...forward.run.path].sort());
      expect([...backward.jobs].sort()).toEqual([...forward.jobs].sort());
      expect(backward.engagement).toBe(forward.engagement);
      expect(backward.run.status).toBe(forward.run.status);
    });

    it("a run with a branch left waiting still waits after another branch exits", () => {
      const waiting = applyEvent(
        context(flows({
          id: "wx", name: "wx",
          nodes: [{ id: "t", type: "trigger.event", config: { eventType: "x" } }, { id: "x", type: "exit" }, { id: "w", type: "wait", config: { days: 1 } }],
          edges: [{ from: "t", to: "x" }, { from: "t", to: "w" }],
        })),
        lead(),
        event("x"),
      );
      expect(ofKind(waiting, "run")[0]).toMatchObject({ path: ["t", "x", "w"], status: "waiting" });
      expect(ofKind(waiting, "timer")).toHaveLength(1);
    });
  });

  it("runTrigger starts a scheduler-fired trigger", () => {
    const doc = {
      id: "idle", name: "idle",
      nodes: [{ id: "i", type: "trigger.inactive", config: { days: 30 } }, { id: "e", type: "email.send", config: { templateId: "miss-you" } }],
      edges: [{ from: "i", to: "e" }],
    };
    const r = runTrigger(context(flows(doc)), lead(), { flowId: "idle", nodeId: "i" });
    expect(ofKind(r, "run")[0]).toMatchObject({ triggerNodeId: "i", eventId: null, path: ["i", "e"] });
  });
});
