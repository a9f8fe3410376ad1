import { useMemo, useState } from "react";
import { FlowDocumentShape, validate, type FlowIssue } from "@leadflow/flow";
import type { Outputs } from "../trpc.js";
import { documentToEditor, editorToDocument, type EditorState } from "./convert.js";
import type { EditorView } from "./editor-context.js";
import { useHistory } from "./history.js";

export type Flow = Outputs["flows"]["get"];
/** A published version opened from the history: shown read-only instead of the draft. */
export interface Viewing { version: number; state: EditorState }
/** The message under the toolbar after a save, publish, import or restore. */
export interface Notice { kind: "ok" | "error"; text: string }
export type Notify = (notice: Notice) => void;

/** The flow's draft as the editor holds it (an empty flow when the draft does not parse). */
export function initialState(flow: Flow): EditorState {
  const shape = FlowDocumentShape.safeParse(flow.draft);
  return documentToEditor(shape.success ? shape.data : { id: flow.id, name: flow.name, reentry: "always", nodes: [], edges: [] });
}

/**
 * The editor's state: the draft with its undo history, the published version being viewed
 * instead (read-only), and the issues of what is shown (validated against the known templates
 * once they are loaded).
 */
export function useEditorState(flow: Flow, templates: string[], templatesLoaded: boolean) {
  const history = useHistory<EditorState>(initialState(flow));
  const [viewing, setViewing] = useState<Viewing | null>(null);
  const shown = viewing?.state ?? history.present;
  const readOnly = viewing !== null;
  const issues: FlowIssue[] = useMemo(() => {
    const r = validate(editorToDocument(shown), templatesLoaded ? { templateIds: new Set(templates) } : undefined);
    return r.ok ? [] : r.issues;
  }, [shown, templates, templatesLoaded]);
  const view: EditorView = useMemo(() => {
    const issuesByNode = new Map<string, FlowIssue[]>();
    for (const i of issues) if (i.nodeId) issuesByNode.set(i.nodeId, [...(issuesByNode.get(i.nodeId) ?? []), i]);
    return { issuesByNode, passed: flow.passed, readOnly };
  }, [issues, flow.passed, readOnly]);
  return { history, shown, readOnly, viewing, setViewing, issues, view };
}

export type EditorModel = ReturnType<typeof useEditorState>;
