import { describe, expect, it } from "vitest";
import { galleryFlows, validate, type FlowDocumentShape } from "@leadflow/flow";
import { cloneSelection, documentToEditor, editorToDocument, nextNodeId } from "./convert.js";

const branching: FlowDocumentShape = {
  id: "branching",
  name: "Branching",
  reentry: { cooldownDays: 7 },
  description: "ports and labels",
  nodes: [
    { id: "t", type: "trigger.event", config: { eventType: "form_submit", where: [] }, position: { x: 10, y: 20 } },
    { id: "c", type: "condition", label: "Is a director?", config: { where: [{ field: "lead.jobTitle", op: "contains", value: "Director" }], match: "all" }, position: { x: 300, y: 20 } },
    { id: "s", type: "split", config: { variants: [{ name: "a", weight: 1 }, { name: "b", weight: 3 }] }, position: { x: 600, y: 0 } },
    { id: "p", type: "score.add", config: { points: 15 }, position: { x: 600, y: 200 } },
    { id: "x", type: "exit", config: {}, position: { x: 900, y: 0 } },
    { id: "y", type: "exit", config: {}, position: { x: 900, y: 120 } },
  ],
  edges: [
    { from: "t", to: "c" },
    { from: "c", to: "s", port: "yes" },
    { from: "c", to: "p", port: "no", id: "custom-edge" },
    { from: "s", to: "x", port: "a" },
    { from: "s", to: "y", port: "b" },
  ],
};

describe("editor state <-> flow document", () => {
  it("round-trips a document with ports, labels, positions, reentry and edge ids", () => {
    const state = documentToEditor(branching);
    expect(state.edges.find((e) => e.id === "custom-edge")?.sourceHandle).toBe("no");
    expect(state.nodes.find((n) => n.id === "c")?.position).toEqual({ x: 300, y: 20 });
    expect(editorToDocument(state)).toEqual(branching);
  });

  it("round-trips every gallery flow and keeps it valid", () => {
    for (const g of galleryFlows) {
      const back = editorToDocument(documentToEditor(g.document));
      expect(back).toEqual({ ...g.document, nodes: g.document.nodes.map((n) => ({ ...n })) });
      expect(validate(back).ok).toBe(true);
    }
  });

  it("keeps positions a user dragged (rounded) and gives unplaced nodes one", () => {
    const state = documentToEditor({ ...branching, nodes: branching.nodes.map(({ position: _p, ...n }) => n) });
    expect(new Set(state.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(state.nodes.length);
    state.nodes[0]!.position = { x: 12.4, y: 99.6 };
    expect(editorToDocument(state).nodes[0]!.position).toEqual({ x: 12, y: 100 });
  });

  it("makes fresh ids and copies inner edges on paste", () => {
    const state = documentToEditor(branching);
    const picked = state.nodes.filter((n) => n.id === "s" || n.id === "x");
    const copy = cloneSelection(picked, state.edges, state.nodes.map((n) => n.id));
    expect(copy.nodes.map((n) => n.id)).toEqual(["split-1", "exit-1"]);
    expect(copy.nodes[0]!.position).toEqual({ x: 640, y: 40 });
    expect(copy.edges).toHaveLength(1);
    expect(copy.edges[0]).toMatchObject({ source: "split-1", target: "exit-1", sourceHandle: "a" });
    expect(nextNodeId("score.add", ["score-add-1"])).toBe("score-add-2");
  });
});
