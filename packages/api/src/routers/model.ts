import { z } from "zod";
import { safeJson, ScoringModel } from "@leadflow/flow";
import { DecayPreviewInput, loadScoringModel, previewDecay, changeScoringModel } from "@leadflow/runtime";
import { documentInput } from "../document-input.js";
import { marketerProcedure, router } from "../trpc.js";

/** the model as PUT /api/v1/scoring-model takes it: storable JSON, then its shape */
const ModelInput = documentInput(safeJson().pipe(ScoringModel), "scoring model");

/** The scoring model: categories, fit rules, tiers and decay. */
export const modelRouter = router({
  get: marketerProcedure.query(({ ctx }) => loadScoringModel(ctx.deps.db)),
  save: marketerProcedure.input(ModelInput).mutation(({ ctx, input }) => changeScoringModel(ctx.deps, input)),
  /** how current leads' tiers would change under another decay policy; saves nothing */
  previewDecay: marketerProcedure
    .input(DecayPreviewInput.pick({ decay: true, at: true }).extend({ sample: z.number().int().min(0).max(200).optional() }))
    .query(({ ctx, input }) => previewDecay(ctx.deps.db, input, ctx.deps.clock.now())),
});
