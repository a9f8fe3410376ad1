import { z } from "zod";
import { galleryFlows, validate } from "@leadflow/flow";
import {
  getFlow,
  getFlowVersion,
  listFlows,
  listFlowVersions,
  listTemplates,
  nodePassCounts,
  publishFlow,
  saveFlowDraft,
} from "@leadflow/runtime";
import { marketerProcedure, router } from "../trpc.js";

const FlowKey = z.object({ id: z.string().min(1).max(64) });

export const flowsRouter = router({
  list: marketerProcedure.query(({ ctx }) => listFlows(ctx.deps.db)),
  get: marketerProcedure.input(FlowKey).query(async ({ ctx, input }) => {
    const flow = await getFlow(ctx.deps.db, input.id);
    const since = new Date(ctx.deps.clock.now().getTime() - 30 * 86_400_000);
    const [versions, passed] = await Promise.all([listFlowVersions(ctx.deps.db, input.id), nodePassCounts(ctx.deps.db, input.id, since)]);
    return { ...flow, versions, passed };
  }),
  saveDraft: marketerProcedure
    .input(z.object({ id: z.string().min(1).max(64), document: z.unknown() }))
    .mutation(({ ctx, input }) => saveFlowDraft(ctx.deps.db, input.id, input.document)),
  publish: marketerProcedure.input(FlowKey).mutation(({ ctx, input }) => publishFlow(ctx.deps.db, input.id)),
  version: marketerProcedure
    // versions are an integer column: a number past 2^31 would fail the query, not match nothing
    .input(z.object({ id: z.string().min(1).max(64), version: z.number().int().positive().max(2_147_483_647) }))
    .query(({ ctx, input }) => getFlowVersion(ctx.deps.db, input.id, input.version)),
  /** server-side check of a document, with the templates that exist (the editor also checks locally) */
  check: marketerProcedure.input(z.object({ document: z.unknown() })).query(async ({ ctx, input }) => {
    const templateIds = new Set((await listTemplates(ctx.deps.db)).map((t) => t.id));
    const r = validate(input.document, { templateIds });
    return r.ok ? [] : r.issues;
  }),
  gallery: marketerProcedure.query(() => galleryFlows),
});
