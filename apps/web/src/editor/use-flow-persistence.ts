import { useCallback, useMemo, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "../trpc.js";
import { editorToDocument, type EditorState } from "./convert.js";
import { initialState, type Flow, type Notify } from "./use-editor-state.js";

/**
 * Saving the draft and publishing it (publish saves first). `dirty` compares the draft with
 * what was last saved, as JSON of the document (positions included).
 */
export function useFlowPersistence(flow: Flow, present: EditorState, notify: Notify) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(() => JSON.stringify(editorToDocument(initialState(flow))));
  const document = useMemo(() => editorToDocument(present), [present]);
  const dirty = JSON.stringify(document) !== saved;
  const save = useMutation(trpc.flows.saveDraft.mutationOptions());
  const publish = useMutation(trpc.flows.publish.mutationOptions());

  const doSave = useCallback(async () => {
    const doc = editorToDocument(present);
    await save.mutateAsync({ id: flow.id, document: doc });
    setSaved(JSON.stringify(doc));
    await queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
  }, [present, flow.id, save, queryClient, trpc]);

  const onSave = async () => {
    try {
      await doSave();
      notify({ kind: "ok", text: "Draft saved." });
    } catch (e) {
      notify({ kind: "error", text: errorMessage(e) });
    }
  };
  const onPublish = async () => {
    try {
      await doSave();
      const r = await publish.mutateAsync({ id: flow.id });
      notify({ kind: "ok", text: `Published version ${r.version}. New events now run through it.` });
      await queryClient.invalidateQueries({ queryKey: trpc.flows.get.queryKey({ id: flow.id }) });
    } catch (e) {
      notify({ kind: "error", text: errorMessage(e) });
    }
  };
  return { dirty, onSave, onPublish, saving: save.isPending, publishing: publish.isPending };
}

export type Persistence = ReturnType<typeof useFlowPersistence>;
