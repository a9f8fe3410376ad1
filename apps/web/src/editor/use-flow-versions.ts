import type { ChangeEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { ReactFlowInstance } from "@xyflow/react";
import { FlowDocumentShape } from "@leadflow/flow";
import { errorMessage, useTRPC } from "../trpc.js";
import { documentToEditor, editorToDocument, type EditorEdge, type EditorNode } from "./convert.js";
import type { EditorModel, Flow, Notify } from "./use-editor-state.js";

/**
 * Published versions (open one read-only, restore it as the draft) and the flow as a JSON file
 * (export what is shown, import a file as the draft, keeping this flow's id).
 */
export function useFlowVersions(flow: Flow, editor: EditorModel, notify: Notify, rf: ReactFlowInstance<EditorNode, EditorEdge>) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { history, shown, viewing, setViewing } = editor;
  const fitSoon = () => window.setTimeout(() => void rf.fitView({ duration: 300 }), 50);

  const openVersion = async (version: number) => {
    try {
      const doc = await queryClient.fetchQuery(trpc.flows.version.queryOptions({ id: flow.id, version }));
      setViewing({ version, state: documentToEditor(doc as FlowDocumentShape) });
    } catch (e) {
      notify({ kind: "error", text: errorMessage(e) });
    }
  };
  const restoreVersion = () => {
    if (!viewing) return;
    history.commit({ ...viewing.state, meta: { ...viewing.state.meta, id: flow.id } });
    notify({ kind: "ok", text: `Version ${viewing.version} restored as the draft: save or publish to keep it.` });
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
      notify({ kind: "ok", text: `Imported ${file.name}; save to keep it.` });
      fitSoon();
    } catch (err) {
      notify({ kind: "error", text: `Could not import ${file.name}: ${(err as Error).message}` });
    }
  };
  return { openVersion, restoreVersion, exportJson, importJson, closeVersion: () => setViewing(null) };
}

export type Versions = ReturnType<typeof useFlowVersions>;
