import { describe, it, expect } from "vitest";
import { compile, compileFlowSet } from "./compile.js";
import { validate } from "./validate.js";
import type { FlowDocument } from "./document.schema.js";
import type { EvalContext } from "./compiled.types.js";
import { everyNodeType } from "./test-documents.js";

function valid(input: unknown): FlowDocument {
  const r = validate(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

const evalCtx = (url: string): EvalContext => ({
  event: { type: "page_view", properties: { url } },
  lead: { email: "a@b.c", stage: "lead", status: "active", properties: { country: "DE" } },
  scores: { total: 0, fit: 0, engagement: 0, categories: {} },
  tier: "Cold",
});

describe("compile", () => {
  const flow = compile(valid(everyNodeType), 3);

  it("keeps identity, triggers and successors by port", () => {
    expect(flow).toMatchObject({ id: "every-node", version: 3, name: "Every node type", reentry: { cooldownDays: 7 } });
    expect(flow.triggers).toEqual(["t1", "t2", "t3", "t4"]);
    expect(flow.nodes.get("c1")!.next).toEqual({ yes: ["p1"], no: ["x1"] });
    expect(flow.nodes.get("s1")!.next).toEqual({ a: ["e1"], b: ["a1"] });
    expect(flow.nodes.get("t1")!.next).toEqual({ out: ["c1"] });
    expect(flow.nodes.get("x1")!.next).toEqual({});
  });

  it("compiles where clauses into tests", () => {
    expect(flow.nodes.get("t1")!.test!(evalCtx("/pricing"))).toBe(true);
    expect(flow.nodes.get("t1")!.test!(evalCtx("/blog"))).toBe(false);
    expect(flow.nodes.get("c1")!.test!(evalCtx("/"))).toBe(true);
    expect(flow.nodes.get("t4")!.test!(evalCtx("/"))).toBe(false);
    expect(flow.nodes.get("p1")!.test).toBeUndefined();
  });
});

describe("compileFlowSet", () => {
  it("indexes triggers by kind and event type", () => {
    const a = compile(valid(everyNodeType), 1);
    const b = compile(
      valid({
        id: "demo",
        name: "Demo",
        nodes: [
          { id: "d", type: "trigger.event", config: { eventType: "demo_request" } },
          { id: "v", type: "trigger.event", config: { eventType: "page_view" } },
          { id: "x", type: "exit" },
        ],
        edges: [{ from: "d", to: "x" }, { from: "v", to: "x" }],
      }),
      2,
    );
    const set = compileFlowSet([a, b]);
    expect([...set.flows.keys()]).toEqual(["every-node", "demo"]);
    expect(set.byEventType.get("page_view")!.map((r) => `${r.flow.id}:${r.nodeId}`)).toEqual(["every-node:t1", "demo:v"]);
    expect(set.byEventType.get("demo_request")!.map((r) => r.nodeId)).toEqual(["d"]);
    expect(set.byEventType.has("email_open")).toBe(false);
    expect(set.scoreTriggers.map((r) => r.nodeId)).toEqual(["t2"]);
    expect(set.inactiveTriggers.map((r) => r.nodeId)).toEqual(["t3"]);
    expect(set.segmentTriggers.map((r) => r.nodeId)).toEqual(["t4"]);
  });

  it("marks a trigger whose one step is a score.add leading nowhere, and plans event-property tests", () => {
    const set = compileFlowSet([
      compile(
        valid({
          id: "scores",
          name: "Scores",
          nodes: [
            { id: "a", type: "trigger.event", config: { eventType: "page_view", where: [{ field: "event.properties.url", op: "contains", value: "/pricing" }] } },
            { id: "b", type: "trigger.event", config: { eventType: "page_view", where: [{ field: "lead.country", op: "eq", value: "DE" }] } },
            { id: "pa", type: "score.add", config: { points: 5 } },
            { id: "pb", type: "score.add", config: { points: 1 } },
            { id: "x", type: "exit" },
          ],
          edges: [{ from: "a", to: "pa" }, { from: "b", to: "pb" }, { from: "pb", to: "x" }],
        }),
        1,
      ),
    ]);
    const [a, b] = set.byEventType.get("page_view")!;
    expect(a!.scoreOnly?.id).toBe("pa");
    expect(b!.scoreOnly).toBeNull(); // its score.add leads on to an exit: walked as usual
    const plan = set.plans.get("page_view")!;
    plan.load({ url: "https://x.test/Pricing" });
    expect(a!.planTest!(plan)).toBe(true);
    expect(b!.planTest).toBeNull(); // reads the lead: tested on the lead's context
  });
});
