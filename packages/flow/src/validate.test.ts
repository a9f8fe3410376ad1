import { describe, it, expect } from "vitest";
import { validate } from "./validate.js";
import { nodeCatalogue } from "./nodes.schema.js";
import type { FlowIssue } from "./compiled.types.js";
import { everyNodeType } from "./test-documents.js";

const base = (nodes: unknown[], edges: unknown[] = []) => ({ id: "f", name: "F", nodes, edges });
const trigger = { id: "t", type: "trigger.event", config: { eventType: "page_view" } };
const email = (id: string, templateId = "warm") => ({ id, type: "email.send", config: { templateId } });

function issuesOf(input: unknown, opts?: Parameters<typeof validate>[1]): FlowIssue[] {
  const r = validate(input, opts);
  if (r.ok) throw new Error("expected issues");
  return r.issues;
}
const codes = (issues: FlowIssue[]) => issues.map((i) => `${i.code}:${i.nodeId ?? ""}`).sort();

describe("validate: round trip", () => {
  it("accepts a document with every node type and survives JSON", () => {
    const types = new Set(everyNodeType.nodes.map((n) => n.type));
    expect([...types].sort()).toEqual(Object.keys(nodeCatalogue).sort());
    const first = validate(everyNodeType, { templateIds: new Set(["warm-intro"]) });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const again = validate(JSON.parse(JSON.stringify(first.value)));
    expect(again).toEqual(first);
    const t1 = first.value.nodes.find((n) => n.id === "t1")!;
    expect(t1.position).toEqual({ x: 0, y: 0 });
    expect(t1.label).toBe("Pricing");
    expect(first.value.edges[4]).toEqual({ id: "e-yes", from: "c1", to: "p1", port: "yes" });
    expect(first.value.reentry).toEqual({ cooldownDays: 7 });
  });

  it("fills defaults from the node schemas", () => {
    const r = validate(base([trigger, { id: "a", type: "sales.assign", config: { strategy: "territory" } }], [{ from: "t", to: "a" }]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.reentry).toBe("always");
    expect(r.value.nodes[0]!.config).toEqual({ eventType: "page_view", where: [] });
    expect(r.value.nodes[1]!.config).toEqual({ strategy: "territory", property: "country" });
  });
});

describe("validate: one issue per kind", () => {
  it("invalid_document with a path and the node id", () => {
    const issues = issuesOf({ id: "bad id!", name: "", nodes: [{ id: "n1", type: 3 }] });
    expect(issues.every((i) => i.code === "invalid_document")).toBe(true);
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining([["id"], ["name"], ["nodes", 0, "type"]]));
    expect(issues.find((i) => i.path?.[0] === "nodes")!.nodeId).toBe("n1");
    expect(issuesOf(null)[0]!.code).toBe("invalid_document");
  });

  it("duplicate_id", () => {
    const issues = issuesOf(base([trigger, email("e"), email("e")], [{ from: "t", to: "e" }]));
    expect(issues).toEqual([expect.objectContaining({ code: "duplicate_id", nodeId: "e", path: ["nodes", 2, "id"] })]);
  });

  it("unknown_type", () => {
    const issues = issuesOf(base([trigger, { id: "z", type: "teleport" }], [{ from: "t", to: "z" }]));
    expect(issues).toEqual([expect.objectContaining({ code: "unknown_type", nodeId: "z" })]);
  });

  it("bad_config with the zod path under config and a readable message", () => {
    const issues = issuesOf(
      base(
        [trigger, { id: "p", type: "score.add", config: { points: 0 } }, { id: "c", type: "condition", config: { where: [{ field: "lead.x", op: "gt", value: "big" }] } }],
        [{ from: "t", to: "p" }, { from: "p", to: "c" }],
      ),
    );
    expect(issues).toEqual([
      { code: "bad_config", nodeId: "p", path: ["config", "points"], message: "points must not be 0" },
      { code: "bad_config", nodeId: "c", path: ["config", "where", 0, "value"], message: "where.0.value: operator gt needs a number" },
    ]);
    const missing = issuesOf(base([{ id: "t", type: "trigger.event", config: {} }]));
    expect(missing[0]!.message).toBe("eventType is required");
  });

  it("unknown_node", () => {
    const issues = issuesOf(base([trigger, email("e")], [{ from: "t", to: "e" }, { from: "t", to: "ghost" }]));
    expect(issues).toEqual([expect.objectContaining({ code: "unknown_node", path: ["edges", 1] })]);
  });

  it("wrong_port: unknown port, missing condition port, exit output", () => {
    const cond = { id: "c", type: "condition", config: { where: [{ field: "tier", op: "eq", value: "Hot" }] } };
    const issues = issuesOf(
      base([trigger, cond, email("e1"), email("e2"), { id: "x", type: "exit" }, email("e3")], [
        { from: "t", to: "c" },
        { from: "c", to: "e1" },
        { from: "c", to: "e2", port: "maybe" },
        { from: "c", to: "x", port: "yes" },
        { from: "x", to: "e3" },
        { from: "t", to: "e3", port: "yes" },
      ]),
    );
    expect(issues.map((i) => [i.code, i.nodeId, i.path])).toEqual([
      ["wrong_port", "c", ["edges", 1, "port"]],
      ["wrong_port", "c", ["edges", 2, "port"]],
      ["wrong_port", "x", ["edges", 4, "port"]],
      ["wrong_port", "t", ["edges", 5, "port"]],
    ]);
    expect(issues[2]!.message).toMatch(/no outputs/);
  });

  it("trigger_input", () => {
    const t2 = { id: "t2", type: "trigger.score", config: { crosses: 10, direction: "up" } };
    const issues = issuesOf(base([trigger, t2], [{ from: "t", to: "t2" }]));
    expect(issues).toEqual([expect.objectContaining({ code: "trigger_input", nodeId: "t2" })]);
  });

  it("no_trigger", () => {
    expect(codes(issuesOf(base([])))).toEqual(["no_trigger:"]);
  });

  it("unreachable", () => {
    expect(codes(issuesOf(base([trigger, email("e")])))).toEqual(["unreachable:e"]);
  });

  it("no_trigger_upstream", () => {
    const issues = issuesOf(base([trigger, email("a"), email("b"), email("c")], [{ from: "t", to: "a" }, { from: "b", to: "c" }]));
    expect(codes(issues)).toEqual(["no_trigger_upstream:c", "unreachable:b"]);
  });

  it("unknown_template only when templateIds is given", () => {
    const doc = base([trigger, email("e", "missing")], [{ from: "t", to: "e" }]);
    expect(validate(doc).ok).toBe(true);
    expect(issuesOf(doc, { templateIds: new Set(["warm"]) })).toEqual([
      expect.objectContaining({ code: "unknown_template", nodeId: "e", path: ["config", "templateId"] }),
    ]);
  });
});

describe("validate: cycles", () => {
  it("self loop", () => {
    expect(codes(issuesOf(base([trigger, email("a")], [{ from: "t", to: "a" }, { from: "a", to: "a" }])))).toEqual(["cycle:a"]);
  });

  it("three-node cycle reports each node on it", () => {
    const issues = issuesOf(
      base([trigger, email("a"), email("b"), email("c"), email("d")], [
        { from: "t", to: "a" }, { from: "a", to: "b" }, { from: "b", to: "c" }, { from: "c", to: "a" }, { from: "c", to: "d" },
      ]),
    );
    expect(codes(issues)).toEqual(["cycle:a", "cycle:b", "cycle:c"]);
  });

  it("a cycle with no way in is also without trigger upstream", () => {
    const issues = issuesOf(base([trigger, email("a"), email("b")], [{ from: "a", to: "b" }, { from: "b", to: "a" }]));
    expect(codes(issues)).toEqual(["cycle:a", "cycle:b", "no_trigger_upstream:a", "no_trigger_upstream:b"]);
  });
});

describe("validate: several issues together", () => {
  it("reports every problem, not just the first", () => {
    const issues = issuesOf(
      base(
        [
          { id: "p", type: "score.add", config: {} },
          { id: "q", type: "nope" },
          email("e", "ghost"),
          email("e"),
          { id: "h", type: "score.threshold", config: { atLeast: 5 } },
        ],
        [{ from: "p", to: "h" }, { from: "h", to: "x" }, { from: "h", to: "p" }],
      ),
      { templateIds: new Set() },
    );
    expect(codes(issues)).toEqual([
      "bad_config:p",
      "cycle:h",
      "cycle:p",
      "duplicate_id:e",
      "no_trigger:",
      "no_trigger_upstream:h",
      "no_trigger_upstream:p",
      "unknown_node:",
      "unknown_template:e",
      "unknown_template:e",
      "unknown_type:q",
      "unreachable:e",
      "unreachable:q",
    ]);
  });
});
