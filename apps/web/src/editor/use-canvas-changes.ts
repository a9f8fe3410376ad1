import { useCallback } from "react";
import { addEdge, applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from "@xyflow/react";
import { edgeId, OUT, type EditorEdge, type EditorNode, type EditorState } from "./convert.js";
import type { History } from "./history.js";

/**
 * React Flow's change callbacks onto the history: adding or removing nodes and edges is an
 * undo step, moves and selection are not (a drag's undo point is taken when it starts).
 * Removing a node removes its edges. Nothing changes while a published version is shown.
 */
export function useCanvasChanges(history: History<EditorState>, readOnly: boolean) {
  const onNodesChange = useCallback(
    (changes: NodeChange<EditorNode>[]) => {
      if (readOnly) return;
      const structural = changes.some((c) => c.type === "remove" || c.type === "add");
      const apply = (s: EditorState) => {
        const nodes = applyNodeChanges(changes, s.nodes);
        const removed = new Set(changes.filter((c) => c.type === "remove").map((c) => (c as { id: string }).id));
        return { ...s, nodes, edges: removed.size ? s.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)) : s.edges };
      };
      if (structural) history.commit(apply);
      else history.set(apply);
    },
    [history, readOnly],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<EditorEdge>[]) => {
      if (readOnly) return;
      const apply = (s: EditorState) => ({ ...s, edges: applyEdgeChanges(changes, s.edges) });
      if (changes.some((c) => c.type === "remove")) history.commit(apply);
      else history.set(apply);
    },
    [history, readOnly],
  );
  const onConnect = useCallback(
    (c: Connection) => {
      if (readOnly || c.source === c.target) return;
      const port = c.sourceHandle && c.sourceHandle !== OUT ? c.sourceHandle : undefined;
      history.commit((s) => ({
        ...s,
        edges: addEdge({ ...c, id: edgeId(c.source, port, c.target), ...(port ? { label: port } : {}) }, s.edges),
      }));
    },
    [history, readOnly],
  );
  return { onNodesChange, onEdgesChange, onConnect, onNodeDragStart: () => history.checkpoint() };
}
