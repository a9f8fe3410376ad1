import { z } from "zod";
import { loadWorkspace, saveWorkspace } from "@leadflow/runtime";
import { marketerProcedure, router } from "../trpc.js";

/** workspace-wide settings: the time zone of wait windows and segment crons */
export const workspaceRouter = router({
  get: marketerProcedure.query(({ ctx }) => loadWorkspace(ctx.deps.db)),
  save: marketerProcedure.input(z.object({ timeZone: z.string().min(1).max(100) })).mutation(({ ctx, input }) => saveWorkspace(ctx.deps.db, input)),
});
