import { useState } from "react";
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc.js";
import { QueryView } from "../ui/states.js";
import type { EditorEdge, EditorNode } from "./convert.js";
import { FlowNodeView } from "./flow-node.js";
import { Palette } from "./palette.js";
import { ConfigPanel } from "./config-panel.js";
import { EditorViewContext } from "./editor-context.js";
import { EditorBanners, EditorToolbar } from "./editor-toolbar.js";
import { IssuesList } from "./issues-list.js";
import { useCanvasChanges } from "./use-canvas-changes.js";
import { useClipboard } from "./use-clipboard.js";
import { useEditorKeys } from "./use-editor-keys.js";
import { useEditorState, type Flow, type Notice } from "./use-editor-state.js";
import { useFlowPersistence } from "./use-flow-persistence.js";
import { useFlowVersions } from "./use-flow-versions.js";
import { useNodeActions } from "./use-node-actions.js";
import "./editor.css";

const nodeTypes = { flowNode: FlowNodeView };

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

/**
 * The flow editor: its state, canvas changes, node actions, clipboard, keys, saving and
 * versions are hooks (use-*.ts beside this file); this component lays them out.
 */
function Editor({ flow, templates, templatesLoaded, reps }: { flow: Flow; templates: string[]; templatesLoaded: boolean; reps: { id: string; name: string }[] }) {
  const rf = useReactFlow<EditorNode, EditorEdge>();
  const [notice, setNotice] = useState<Notice | null>(null);
  const editor = useEditorState(flow, templates, templatesLoaded);
  const { history, shown, readOnly, viewing, issues, view } = editor;
  const persistence = useFlowPersistence(flow, history.present, setNotice);
  const canvas = useCanvasChanges(history, readOnly);
  const actions = useNodeActions(history, readOnly, shown, rf);
  const clipboard = useClipboard(history, readOnly);
  const versions = useFlowVersions(flow, editor, setNotice, rf);
  useEditorKeys({ undo: history.undo, redo: history.redo, copy: clipboard.copy, paste: clipboard.paste, save: persistence.onSave });

  const selected = shown.nodes.filter((n) => n.selected);
  const selectedNode = selected.length === 1 ? selected[0] : undefined;
  return (
    <EditorViewContext.Provider value={view}>
      <div className="editor">
        <EditorToolbar flow={flow} history={history} readOnly={readOnly} viewing={viewing} issueCount={issues.length}
          persistence={persistence} versions={versions} actions={actions} fitView={() => void rf.fitView({ duration: 300 })} />
        <EditorBanners viewing={viewing} versions={versions} notice={notice} dismiss={() => setNotice(null)} />
        <div className="editor-body">
          <Palette onAdd={actions.addInView} disabled={readOnly} />
          <div className="canvas" onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = "move"; }} onDrop={actions.onDrop} data-testid="canvas">
            <ReactFlow<EditorNode, EditorEdge>
              nodes={shown.nodes}
              edges={shown.edges}
              nodeTypes={nodeTypes}
              {...canvas}
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
                onChange={(data) => actions.changeNodeData(selectedNode.id, data)}
                onDelete={actions.deleteSelected}
              />
            ) : (
              <p className="muted side-hint">Select a node to edit it. Delete removes, Ctrl+C / Ctrl+V copy and paste, Ctrl+Z undo.</p>
            )}
            <IssuesList issues={issues} selectNode={actions.selectNode} />
          </div>
        </div>
      </div>
    </EditorViewContext.Provider>
  );
}
