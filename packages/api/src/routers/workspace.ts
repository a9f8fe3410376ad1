import { loadWorkspace, saveWorkspace, Workspace } from "@leadflow/runtime";
import { documentInput } from "../document-input.js";
import { marketerProcedure, router } from "../trpc.js";

/** workspace-wide settings: the time zone of wait windows and segment crons */
export const workspaceRouter = router({
  get: marketerProcedure.query(({ ctx }) => loadWorkspace(ctx.deps.db)),
  save: marketerProcedure.input(documentInput(Workspace, "workspace")).mutation(({ ctx, input }) => saveWorkspace(ctx.deps.db, input)),
});
