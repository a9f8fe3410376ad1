import { z } from "zod";
import { DecayPreviewInput, loadScoringModel, previewDecay, rescoreAllLeads, saveScoringModel } from "@leadflow/runtime";
import { marketerProcedure, router } from "../trpc.js";

/** The scoring model: categories, fit rules, tiers and decay. */
export const modelRouter = router({
  get: marketerProcedure.query(({ ctx }) => loadScoringModel(ctx.deps.db)),
  save: marketerProcedure.input(z.unknown()).mutation(async ({ ctx, input }) => {
    const model = await saveScoringModel(ctx.deps.db, input);
    const rescored = await rescoreAllLeads(ctx.deps);
    return { model, rescored };
  }),
  /** how current leads' tiers would change under another decay policy; saves nothing */
  previewDecay: marketerProcedure
    .input(DecayPreviewInput.pick({ decay: true, at: true }).extend({ sample: z.number().int().min(0).max(200).optional() }))
    .query(({ ctx, input }) => previewDecay(ctx.deps.db, input, ctx.deps.clock.now())),
});
