import { useRef } from "react";
import { cloneSelection, type EditorEdge, type EditorNode, type EditorState } from "./convert.js";
import type { History } from "./history.js";

/**
 * Copy and paste of the selected nodes within the editor (not the system clipboard). Edges
 * between copied nodes come along; pasted nodes get fresh ids and become the selection.
 */
export function useClipboard(history: History<EditorState>, readOnly: boolean) {
  const clipboard = useRef<{ nodes: EditorNode[]; edges: EditorEdge[] } | null>(null);
  const copy = () => {
    const state = history.present;
    const nodes = state.nodes.filter((n) => n.selected);
    if (nodes.length) clipboard.current = { nodes, edges: state.edges };
  };
  const paste = () => {
    const clip = clipboard.current;
    if (!clip || readOnly) return;
    history.commit((s) => {
      const copies = cloneSelection(clip.nodes, clip.edges, s.nodes.map((n) => n.id));
      return { ...s, nodes: [...s.nodes.map((n) => ({ ...n, selected: false })), ...copies.nodes], edges: [...s.edges, ...copies.edges] };
    });
  };
  return { copy, paste };
}
