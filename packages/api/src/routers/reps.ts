import { z } from "zod";
import { listReps, saveReps } from "@leadflow/runtime";
import { authedProcedure, marketerProcedure, router } from "../trpc.js";

/** Sales reps: who takes hand-offs, their territories, capacity and away status. */
export const repsRouter = router({
  list: authedProcedure.query(({ ctx }) => listReps(ctx.deps.db)),
  save: marketerProcedure.input(z.unknown()).mutation(({ ctx, input }) => saveReps(ctx.deps.db, input)),
});
