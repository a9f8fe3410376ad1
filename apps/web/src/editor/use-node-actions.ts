import { useCallback, useRef, type DragEvent } from "react";
import type { ReactFlowInstance } from "@xyflow/react";
import type { NodeType } from "@leadflow/flow";
import { nextNodeId, type EditorEdge, type EditorNode, type EditorState, type FlowNodeData } from "./convert.js";
import type { History } from "./history.js";
import { autoLayout } from "./layout.js";
import { DRAG_TYPE } from "./palette.js";

/** Configs a new node starts with: enough for its ports to exist; the rest the marketer fills in. */
const starterConfig: Partial<Record<NodeType, Record<string, unknown>>> = {
  split: { variants: [{ name: "a", weight: 1 }, { name: "b", weight: 1 }] },
  wait: { days: 1 },
  condition: { where: [], match: "all" },
  "trigger.event": { where: [] },
};

/** Typing in one node's form within this long is one undo step, not one per keystroke. */
const CONFIG_EDIT_MERGE_MS = 1500;

type Rf = ReactFlowInstance<EditorNode, EditorEdge>;

/** What the marketer does to nodes: add (drop or click), configure, select, delete, arrange, rename the flow. */
export function useNodeActions(history: History<EditorState>, readOnly: boolean, shown: EditorState, rf: Rf) {
  const lastConfigEdit = useRef<{ nodeId: string; at: number } | null>(null);
  const addNode = useCallback(
    (type: NodeType, position: { x: number; y: number }) => {
      history.commit((s) => {
        const id = nextNodeId(type, s.nodes.map((n) => n.id));
        const node: EditorNode = { id, type: "flowNode", position, selected: true, data: { type, config: { ...(starterConfig[type] ?? {}) } } };
        return { ...s, nodes: [...s.nodes.map((n) => ({ ...n, selected: false })), node], edges: s.edges.map((e) => ({ ...e, selected: false })) };
      });
    },
    [history],
  );
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const type = e.dataTransfer.getData(DRAG_TYPE) as NodeType;
    if (!type || readOnly) return;
    addNode(type, rf.screenToFlowPosition({ x: e.clientX - 90, y: e.clientY - 30 }));
  };
  const addInView = (type: NodeType) => {
    const box = window.document.querySelector(".canvas")?.getBoundingClientRect();
    addNode(type, rf.screenToFlowPosition({ x: (box?.left ?? 0) + (box?.width ?? 600) / 2, y: (box?.top ?? 0) + (box?.height ?? 400) / 2 }));
  };
  const changeNodeData = (nodeId: string, data: FlowNodeData) => {
    const now = Date.now();
    const last = lastConfigEdit.current;
    const apply = (s: EditorState) => ({ ...s, nodes: s.nodes.map((n) => (n.id === nodeId ? { ...n, data } : n)) });
    if (last && last.nodeId === nodeId && now - last.at < CONFIG_EDIT_MERGE_MS) history.set(apply);
    else history.commit(apply);
    lastConfigEdit.current = { nodeId, at: now };
  };
  /** Selects the node alone and centres the view on it (from the issues list). */
  const selectNode = (nodeId: string) => {
    history.set((s) => ({ ...s, nodes: s.nodes.map((n) => ({ ...n, selected: n.id === nodeId })), edges: s.edges.map((e) => ({ ...e, selected: false })) }));
    const n = shown.nodes.find((x) => x.id === nodeId);
    if (n) void rf.setCenter(n.position.x + 100, n.position.y + 40, { zoom: Math.max(rf.getZoom(), 0.9), duration: 300 });
  };
  const deleteSelected = () => {
    history.commit((s) => {
      const gone = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
      return { ...s, nodes: s.nodes.filter((n) => !gone.has(n.id)), edges: s.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target)) };
    });
  };
  const layout = () => {
    history.commit((s) => ({ ...s, nodes: autoLayout(s.nodes, s.edges) }));
    window.setTimeout(() => void rf.fitView({ duration: 300 }), 50);
  };
  const setMeta = (patch: Partial<EditorState["meta"]>) => history.commit((s) => ({ ...s, meta: { ...s.meta, ...patch } }));
  return { onDrop, addInView, changeNodeData, selectNode, deleteSelected, layout, setMeta };
}

export type NodeActions = ReturnType<typeof useNodeActions>;
