import { useEffect, useRef } from "react";

export interface KeyActions {
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  save: () => unknown;
}

const isTyping = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));

/**
 * The editor's shortcuts: Ctrl/Cmd+S saves (even while typing in a field), Z undoes, Shift+Z
 * or Y redoes, C and V copy and paste nodes. One window listener for the editor's life; it
 * calls the actions of the latest render.
 */
export function useEditorKeys(actions: KeyActions) {
  const keys = useRef(actions);
  keys.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const k = e.key.toLowerCase();
      if (k === "s") {
        e.preventDefault();
        void keys.current.save();
        return;
      }
      if (isTyping(e.target)) return;
      if (k === "z" && !e.shiftKey) keys.current.undo();
      else if ((k === "z" && e.shiftKey) || k === "y") keys.current.redo();
      else if (k === "c") keys.current.copy();
      else if (k === "v") keys.current.paste();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
