import type { Edge, Node } from "@xyflow/react";
import type { FlowDocumentShape, Reentry } from "@leadflow/flow";

/** What a canvas node carries: the flow node without id and position (xyflow keeps those). */
export interface FlowNodeData extends Record<string, unknown> {
  type: string;
  label?: string;
  config: Record<string, unknown>;
}
export type EditorNode = Node<FlowNodeData, "flowNode">;
export type EditorEdge = Edge;

export interface FlowMeta {
  id: string;
  name: string;
  description?: string;
  reentry: Reentry;
}

export interface EditorState {
  meta: FlowMeta;
  nodes: EditorNode[];
  edges: EditorEdge[];
}

/** The default output port: edges without `port` in the document. */
export const OUT = "out";
export const IN = "in";

export const edgeId = (from: string, port: string | undefined, to: string) => `${from}:${port ?? OUT}->${to}`;

/** Places nodes without a position in a simple grid (auto-layout can tidy it up). */
const fallbackPosition = (index: number) => ({ x: (index % 4) * 260, y: Math.floor(index / 4) * 140 });

/** Document -> editor. Positions, labels, ports and edge ids are kept. */
export function documentToEditor(doc: FlowDocumentShape): EditorState {
  return {
    meta: { id: doc.id, name: doc.name, reentry: doc.reentry, ...(doc.description !== undefined ? { description: doc.description } : {}) },
    nodes: doc.nodes.map((n, i) => ({
      id: n.id,
      type: "flowNode",
      position: n.position ? { x: n.position.x, y: n.position.y } : fallbackPosition(i),
      data: { type: n.type, config: n.config ?? {}, ...(n.label !== undefined ? { label: n.label } : {}) },
    })),
    edges: doc.edges.map((e) => ({
      id: e.id ?? edgeId(e.from, e.port, e.to),
      source: e.from,
      target: e.to,
      sourceHandle: e.port ?? OUT,
      targetHandle: IN,
      ...(e.port ? { label: e.port } : {}),
    })),
  };
}

/** Editor -> document: the one format of the API, import/export and tests. */
export function editorToDocument(state: EditorState): FlowDocumentShape {
  const { meta } = state;
  return {
    id: meta.id,
    name: meta.name,
    ...(meta.description !== undefined ? { description: meta.description } : {}),
    reentry: meta.reentry,
    nodes: state.nodes.map((n) => ({
      id: n.id,
      type: n.data.type,
      ...(n.data.label ? { label: n.data.label } : {}),
      config: n.data.config,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    })),
    edges: state.edges.map((e) => {
      const port = e.sourceHandle && e.sourceHandle !== OUT ? e.sourceHandle : undefined;
      return {
        ...(e.id !== edgeId(e.source, port, e.target) ? { id: e.id } : {}),
        from: e.source,
        to: e.target,
        ...(port ? { port } : {}),
      };
    }),
  };
}

/** A node id not used yet, from the type: `score-add-3`. */
export function nextNodeId(type: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = type.replace(/\./g, "-");
  for (let i = 1; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

/**
 * Copies nodes (and the edges among them) with fresh ids, shifted, for paste.
 */
export function cloneSelection(nodes: EditorNode[], edges: EditorEdge[], taken: Iterable<string>, offset = 40): { nodes: EditorNode[]; edges: EditorEdge[] } {
  const used = new Set(taken);
  const ids = new Map<string, string>();
  const copies = nodes.map((n) => {
    const id = nextNodeId(n.data.type, used);
    used.add(id);
    ids.set(n.id, id);
    return { ...n, id, selected: true, position: { x: n.position.x + offset, y: n.position.y + offset }, data: structuredClone(n.data) };
  });
  const copiedEdges = edges
    .filter((e) => ids.has(e.source) && ids.has(e.target))
    .map((e) => {
      const source = ids.get(e.source)!;
      const target = ids.get(e.target)!;
      const port = e.sourceHandle && e.sourceHandle !== OUT ? e.sourceHandle : undefined;
      return { ...e, id: edgeId(source, port, target), source, target, selected: false };
    });
  return { nodes: copies, edges: copiedEdges };
}
