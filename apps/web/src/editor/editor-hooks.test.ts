// @vitest-environment jsdom
import { act, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { EditorNode, EditorState } from "./convert.js";
import { useHistory } from "./history.js";
import { useClipboard } from "./use-clipboard.js";
import { useEditorKeys } from "./use-editor-keys.js";

const node = (id: string, selected: boolean): EditorNode => ({ id, type: "flowNode", position: { x: 0, y: 0 }, selected, data: { type: "wait", config: { days: 1 } } });
const state = (nodes: EditorNode[]): EditorState => ({ meta: { id: "f", name: "F", reentry: "always" }, nodes, edges: [] }) as EditorState;

const press = (key: string, init: KeyboardEventInit = {}, target: EventTarget = window) => {
  const e = new KeyboardEvent("keydown", { key, ctrlKey: true, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(e);
  return e;
};

describe("useEditorKeys", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("maps Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y, Ctrl+C, Ctrl+V and Ctrl+S to the editor's actions", () => {
    const actions = { undo: vi.fn(), redo: vi.fn(), copy: vi.fn(), paste: vi.fn(), save: vi.fn() };
    renderHook(() => useEditorKeys(actions));
    expect(press("z").defaultPrevented).toBe(true);
    press("Z", { shiftKey: true });
    press("y");
    press("c");
    press("v");
    press("s");
    expect([actions.undo, actions.redo, actions.copy, actions.paste, actions.save].map((f) => f.mock.calls.length)).toEqual([1, 2, 1, 1, 1]);
    expect(press("z", { ctrlKey: false }).defaultPrevented).toBe(false);
  });

  it("leaves undo and copy to a text field being typed in, but still saves from it", () => {
    const actions = { undo: vi.fn(), redo: vi.fn(), copy: vi.fn(), paste: vi.fn(), save: vi.fn() };
    renderHook(() => useEditorKeys(actions));
    const input = document.body.appendChild(document.createElement("input"));
    press("z", {}, input);
    press("c", {}, input);
    press("s", {}, input);
    expect([actions.undo.mock.calls.length, actions.copy.mock.calls.length, actions.save.mock.calls.length]).toEqual([0, 0, 1]);
  });

  it("calls the actions of the latest render", () => {
    const first = { undo: vi.fn(), redo: vi.fn(), copy: vi.fn(), paste: vi.fn(), save: vi.fn() };
    const second = { ...first, undo: vi.fn() };
    const { rerender } = renderHook((a) => useEditorKeys(a), { initialProps: first });
    rerender(second);
    press("z");
    expect([first.undo.mock.calls.length, second.undo.mock.calls.length]).toEqual([0, 1]);
  });
});

describe("useClipboard", () => {
  const setup = (readOnly = false) =>
    renderHook(() => {
      const history = useHistory(state([node("wait-1", true), node("wait-2", false)]));
      return { history, clipboard: useClipboard(history, readOnly) };
    });

  it("pastes copies of the selected nodes with fresh ids as the new selection, as one undo step", () => {
    const { result } = setup();
    act(() => result.current.clipboard.copy());
    act(() => result.current.clipboard.paste());
    const nodes = result.current.history.present.nodes;
    expect(nodes.map((n) => [n.id, n.selected])).toEqual([["wait-1", false], ["wait-2", false], ["wait-3", true]]);
    act(() => result.current.history.undo());
    expect(result.current.history.present.nodes.map((n) => n.id)).toEqual(["wait-1", "wait-2"]);
  });

  it("pastes nothing when nothing was copied, or while a published version is shown", () => {
    const { result } = setup(true);
    act(() => result.current.clipboard.copy());
    act(() => result.current.clipboard.paste());
    expect(result.current.history.present.nodes).toHaveLength(2);
    expect(result.current.history.canUndo).toBe(false);
  });
});
