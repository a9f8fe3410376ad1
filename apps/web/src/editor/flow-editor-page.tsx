import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent, type DragEvent } from "react";
import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FlowDocumentShape, validate, type FlowIssue, type NodeType } from "@leadflow/flow";
import { errorMessage, useTRPC, type Outputs } from "../trpc.js";
import { Link } from "../router.js";
import { QueryView } from "../ui/states.js";
import { cloneSelection, documentToEditor, editorToDocument, edgeId, nextNodeId, OUT, type EditorEdge, type EditorNode, type EditorState, type FlowNodeData } from "./convert.js";
import { useHistory } from "./history.js";
import { autoLayout } from "./layout.js";
import { FlowNodeView } from "./flow-node.js";
import { DRAG_TYPE, Palette } from "./palette.js";
import { ConfigPanel } from "./config-panel.js";
import { EditorViewContext, type EditorView } from "./editor-context.js";
import "./editor.css";

const nodeTypes = { flowNode: FlowNodeView };

/** Configs a new node starts with: enough for its ports to exist; the rest the marketer fills in. */
const starterConfig: Partial<Record<NodeType, Record<string, unknown>>> = {
  split: { variants: [{ name: "a", weight: 1 }, { name: "b", weight: 1 }] },
  wait: { days: 1 },
  condition: { where: [], match: "all" },
  "trigger.event": { where: [] },
};

export function FlowEditorPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const flow = useQuery(trpc.flows.get.queryOptions({ id }));
  const templates = useQuery(trpc.templates.list.queryOptions());
  const reps = useQuery(trpc.reps.list.queryOptions());
  return (
    <QueryView query={flow}>
      {(data) => (
        <ReactFlowProvider>
          <Editor
            key={id}
            flow={data}
            templates={(templates.data ?? []).map((t) => t.id)}
            templatesLoaded={templates.isSuccess}
            reps={(reps.data ?? []).map((r) => ({ id: r.id, name: r.name }))}
          />
        </ReactFlowProvider>
      )}
    </QueryView>
  );
}

type Flow = Outputs["flows"]["get"];

function initialState(flow: Flow): EditorState {
  const shape = FlowDocumentShape.safeParse(flow.draft);
  return documentToEditor(shape.success ? shape.data : { id: flow.id, name: flow.name, reentry: "always", nodes: [], edges: [] });
}

const isTyping = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));

function Editor({ flow, templates, templatesLoaded, reps }: { flow: Flow; templates: string[]; templatesLoaded: boolean; reps: { id: string; name: string }[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rf = useReactFlow<EditorNode, EditorEdge>();
  const history = useHistory<EditorState>(initialState(flow));
  const state = history.present;
  const [saved, setSaved] = useState(() => JSON.stringify(editorToDocument(initialState(flow))));
  const [viewing, setViewing] = useState<{ version: number; state: EditorState } | null>(null);
  const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const clipboard = useRef<{ nodes: EditorNode[]; edges: EditorEdge[] } | null>(null);
  const lastConfigEdit = useRef<{ nodeId: string; at: number } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const shown = viewing?.state ?? state;
  const readOnly = viewing !== null;
  const document = useMemo(() => editorToDocument(state), [state]);
  const dirty = JSON.stringify(document) !== saved;
  const issues: FlowIssue[] = useMemo(() => {
    const r = validate(editorToDocument(shown), templatesLoaded ? { templateIds: new Set(templates) } : undefined);
    return r.ok ? [] : r.issues;
  }, [shown, templates, templatesLoaded]);
  const view: EditorView = useMemo(() => {
    const issuesByNode = new Map<string, FlowIssue[]>();
    for (const i of issues) if (i.nodeId) issuesByNode.set(i.nodeId, [...(issuesByNode.get(i.nodeId) ?? []), i]);
    return { issuesByNode, passed: flow.passed, readOnly };
  }, [issues, flow.passed, readOnly]);

  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.flows.get.queryKey({ id: flow.id }) });
  const save = useMutation(trpc.flows.saveDraft.mutationOptions());
  const publish = useMutation(trpc.flows.publish.mutationOptions());

  const doSave = useCallback(async () => {
    const doc = editorToDocument(history.present);
    await save.mutateAsync({ id: flow.id, document: doc });
    setSaved(JSON.stringify(doc));
    await queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
  }, [history.present, flow.id, save, queryClient, trpc]);

  const onSave = async () => {
    try {
      await doSave();
      setNotice({ kind: "ok", text: "Draft saved." });
    } catch (e) {
      setNotice({ kind: "error", text: errorMessage(e) });
    }
  };
  const onPublish = async () => {
    try {
      await doSave();
      const r = await publish.mutateAsync({ id: flow.id });
      setNotice({ kind: "ok", text: `Published version ${r.version}. New events now run through it.` });
      await invalidate();
    } catch (e) {
      setNotice({ kind: "error", text: errorMessage(e) });
    }
  };

  // --- canvas changes -----------------------------------------------------------------
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

  const selected = shown.nodes.filter((n) => n.selected);
  const selectedNode = selected.length === 1 ? selected[0] : undefined;
  const changeNodeData = (nodeId: string, data: FlowNodeData) => {
    // typing in one node's form is one undo step, not one per keystroke
    const now = Date.now();
    const last = lastConfigEdit.current;
    const apply = (s: EditorState) => ({ ...s, nodes: s.nodes.map((n) => (n.id === nodeId ? { ...n, data } : n)) });
    if (last && last.nodeId === nodeId && now - last.at < 1500) history.set(apply);
    else history.commit(apply);
    lastConfigEdit.current = { nodeId, at: now };
  };
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
  const copy = () => {
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
  const layout = () => {
    history.commit((s) => ({ ...s, nodes: autoLayout(s.nodes, s.edges) }));
    window.setTimeout(() => void rf.fitView({ duration: 300 }), 50);
  };

  // --- keyboard -------------------------------------------------------------------------
  const keys = useRef({ undo: history.undo, redo: history.redo, copy, paste, save: onSave });
  keys.current = { undo: history.undo, redo: history.redo, copy, paste, save: onSave };
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

  // --- versions, import, export ----------------------------------------------------------
  const openVersion = async (version: number) => {
    try {
      const doc = await queryClient.fetchQuery(trpc.flows.version.queryOptions({ id: flow.id, version }));
      setViewing({ version, state: documentToEditor(doc as FlowDocumentShape) });
    } catch (e) {
      setNotice({ kind: "error", text: errorMessage(e) });
    }
  };
  const restoreVersion = () => {
    if (!viewing) return;
    history.commit({ ...viewing.state, meta: { ...viewing.state.meta, id: flow.id } });
    setNotice({ kind: "ok", text: `Version ${viewing.version} restored as the draft: save or publish to keep it.` });
    setViewing(null);
  };
  const exportJson = () => {
    const blob = new Blob([JSON.stringify(editorToDocument(shown), null, 2)], { type: "application/json" });
    const a = window.document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${flow.id}${viewing ? `-v${viewing.version}` : ""}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const importJson = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    try {
      const parsed = FlowDocumentShape.safeParse(JSON.parse(await file.text()));
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      history.commit(documentToEditor({ ...parsed.data, id: flow.id }));
      setNotice({ kind: "ok", text: `Imported ${file.name}; save to keep it.` });
      window.setTimeout(() => void rf.fitView({ duration: 300 }), 50);
    } catch (err) {
      setNotice({ kind: "error", text: `Could not import ${file.name}: ${(err as Error).message}` });
    }
  };

  const setMeta = (patch: Partial<EditorState["meta"]>) => history.commit((s) => ({ ...s, meta: { ...s.meta, ...patch } }));
  const reentry = state.meta.reentry;

  return (
    <EditorViewContext.Provider value={view}>
      <div className="editor">
        <div className="editor-toolbar">
          <Link to="/flows">← Flows</Link>
          <input aria-label="Flow name" className="flow-name" value={state.meta.name} disabled={readOnly} onChange={(e) => setMeta({ name: e.target.value })} />
          <span className="muted">{flow.id} · {flow.publishedVersion ? `published v${flow.publishedVersion}` : "never published"}{dirty ? " · unsaved changes" : ""}</span>
          <label className="inline">
            Re-entry
            <select aria-label="Re-entry" value={typeof reentry === "string" ? reentry : "cooldown"} disabled={readOnly}
              onChange={(e) => setMeta({ reentry: e.target.value === "cooldown" ? { cooldownDays: 7 } : (e.target.value as "always" | "once") })}>
              <option value="always">always</option>
              <option value="once">once per lead</option>
              <option value="cooldown">after a cooldown</option>
            </select>
            {typeof reentry === "object" && (
              <input aria-label="Cooldown days" type="number" min={1} value={reentry.cooldownDays} disabled={readOnly} onChange={(e) => setMeta({ reentry: { cooldownDays: Number(e.target.value) || 1 } })} />
            )}
          </label>
          <span className="spacer" />
          <button onClick={history.undo} disabled={!history.canUndo || readOnly} title="Undo (Ctrl+Z)">Undo</button>
          <button onClick={history.redo} disabled={!history.canRedo || readOnly} title="Redo (Ctrl+Shift+Z)">Redo</button>
          <button onClick={layout} disabled={readOnly} title="Arrange the nodes left to right">Auto-layout</button>
          <button onClick={() => void rf.fitView({ duration: 300 })}>Fit view</button>
          <button onClick={exportJson}>Export</button>
          <button onClick={() => fileInput.current?.click()} disabled={readOnly}>Import</button>
          <input ref={fileInput} type="file" accept="application/json,.json" hidden onChange={importJson} data-testid="import-file" />
          <select aria-label="Version history" value={viewing?.version ?? ""} onChange={(e) => (e.target.value ? void openVersion(Number(e.target.value)) : setViewing(null))}>
            <option value="">Draft</option>
            {flow.versions.map((v) => <option key={v.version} value={v.version}>v{v.version} · {new Date(v.publishedAt).toLocaleString()}</option>)}
          </select>
          <button onClick={onSave} disabled={readOnly || save.isPending} title="Save draft (Ctrl+S)" data-testid="save-draft">Save draft</button>
          <button className="primary" onClick={onPublish} disabled={readOnly || issues.length > 0 || publish.isPending || save.isPending} title={issues.length ? "Fix the issues first" : "Publish a new version"} data-testid="publish">
            Publish
          </button>
        </div>
        {viewing && (
          <div className="banner">
            Viewing published version {viewing.version}, read-only.
            <button onClick={restoreVersion}>Restore as draft</button>
            <button onClick={() => setViewing(null)}>Back to the draft</button>
          </div>
        )}
        {notice && (
          <div className={`banner ${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"} data-testid="editor-notice">
            {notice.text} <button className="link" onClick={() => setNotice(null)}>dismiss</button>
          </div>
        )}
        <div className="editor-body">
          <Palette onAdd={addInView} disabled={readOnly} />
          <div className="canvas" onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = "move"; }} onDrop={onDrop} data-testid="canvas">
            <ReactFlow<EditorNode, EditorEdge>
              nodes={shown.nodes}
              edges={shown.edges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              onNodeDragStart={() => history.checkpoint()}
              nodesDraggable={!readOnly}
              nodesConnectable={!readOnly}
              deleteKeyCode={readOnly ? null : ["Delete", "Backspace"]}
              fitView
              fitViewOptions={{ maxZoom: 1 }}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={20} />
              <MiniMap pannable zoomable />
              <Controls />
            </ReactFlow>
            {shown.nodes.length === 0 && <div className="canvas-empty">Drag a trigger from the palette to start, or pick a template on the Flows page.</div>}
          </div>
          <div className="side">
            {selectedNode ? (
              <ConfigPanel
                key={selectedNode.id}
                node={selectedNode}
                issues={view.issuesByNode.get(selectedNode.id) ?? []}
                readOnly={readOnly}
                templates={templates}
                reps={reps}
                onChange={(data) => changeNodeData(selectedNode.id, data)}
                onDelete={deleteSelected}
              />
            ) : (
              <p className="muted side-hint">Select a node to edit it. Delete removes, Ctrl+C / Ctrl+V copy and paste, Ctrl+Z undo.</p>
            )}
            <section className="issues" aria-label="Issues" data-testid="issues">
              <h3>{issues.length === 0 ? "No issues: ready to publish" : `${issues.length} issue${issues.length > 1 ? "s" : ""}`}</h3>
              <ul>
                {issues.map((i, k) => (
                  <li key={k}>
                    {i.nodeId ? (
                      <button className="link issue" onClick={() => selectNode(i.nodeId!)} data-testid="issue-item">
                        <strong>{i.nodeId}</strong>: {i.message}
                      </button>
                    ) : (
                      <span className="issue" data-testid="issue-item">{i.message}</span>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          </div>
        </div>
      </div>
    </EditorViewContext.Provider>
  );
}
