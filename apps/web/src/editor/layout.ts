import dagre from "@dagrejs/dagre";
import type { EditorEdge, EditorNode } from "./convert.js";

const WIDTH = 220;
const HEIGHT = 90;

/** Left-to-right layered layout (dagre); returns nodes with new positions. */
export function autoLayout(nodes: EditorNode[], edges: EditorEdge[]): EditorNode[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 80 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.measured?.width ?? WIDTH, height: n.measured?.height ?? HEIGHT });
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return nodes.map((n) => {
    const p = g.node(n.id);
    const w = n.measured?.width ?? WIDTH;
    const h = n.measured?.height ?? HEIGHT;
    return p ? { ...n, position: { x: Math.round(p.x - w / 2), y: Math.round(p.y - h / 2) } } : n;
  });
}
