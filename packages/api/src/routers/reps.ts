import { listReps, RepsInput, saveReps } from "@leadflow/runtime";
import { documentInput } from "../document-input.js";
import { authedProcedure, marketerProcedure, router } from "../trpc.js";

/** Sales reps: who takes hand-offs, their territories, capacity and away status. */
export const repsRouter = router({
  list: authedProcedure.query(({ ctx }) => listReps(ctx.deps.db)),
  save: marketerProcedure.input(documentInput(RepsInput, "reps")).mutation(({ ctx, input }) => saveReps(ctx.deps.db, input)),
});
