import { createContext, useContext } from "react";
import type { FlowIssue } from "@leadflow/flow";

export interface EditorView {
  issuesByNode: Map<string, FlowIssue[]>;
  /** leads that reached each node in the last 30 days */
  passed: Record<string, number>;
  readOnly: boolean;
}

export const EditorViewContext = createContext<EditorView>({ issuesByNode: new Map(), passed: {}, readOnly: false });
export const useEditorView = () => useContext(EditorViewContext);
