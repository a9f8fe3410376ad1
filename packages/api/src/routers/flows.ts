import { z } from "zod";
import { FlowDocumentShape, galleryFlows, validate } from "@leadflow/flow";
import type { FlowRecord } from "@leadflow/runtime";
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
import { documentInput } from "../document-input.js";
import { marketerProcedure, router } from "../trpc.js";

const FlowKey = z.object({ id: z.string().min(1).max(64) });
/**
 * The loose shape (node configs pass through): validate() then reports every problem of a
 * node's config with the node's id, on save (the draft's issues) and on check.
 */
const FlowDocument = documentInput(FlowDocumentShape, "flow document");

/**
 * A flow as the editor gets it. The runtime types stored JSON `unknown`; a draft is stored only
 * by saveFlowDraft, which takes a document of FlowDocumentShape, so the client is told that.
 */
const withTypedDraft = <F extends FlowRecord>(flow: F) => ({ ...flow, draft: flow.draft as FlowDocumentShape });

export const flowsRouter = router({
  list: marketerProcedure.query(({ ctx }) => listFlows(ctx.deps.db)),
  get: marketerProcedure.input(FlowKey).query(async ({ ctx, input }) => {
    const flow = await getFlow(ctx.deps.db, input.id);
    const since = new Date(ctx.deps.clock.now().getTime() - 30 * 86_400_000);
    const [versions, passed] = await Promise.all([listFlowVersions(ctx.deps.db, input.id), nodePassCounts(ctx.deps.db, input.id, since)]);
    return withTypedDraft({ ...flow, versions, passed });
  }),
  saveDraft: marketerProcedure
    .input(z.object({ id: z.string().min(1).max(64), document: FlowDocument }))
    .mutation(async ({ ctx, input }) => withTypedDraft(await saveFlowDraft(ctx.deps.db, input.id, input.document))),
  publish: marketerProcedure.input(FlowKey).mutation(({ ctx, input }) => publishFlow(ctx.deps.db, input.id)),
  version: marketerProcedure
    // versions are an integer column: a number past 2^31 would fail the query, not match nothing
    .input(z.object({ id: z.string().min(1).max(64), version: z.number().int().positive().max(2_147_483_647) }))
    .query(({ ctx, input }) => getFlowVersion(ctx.deps.db, input.id, input.version)),
  /** server-side check of a document, with the templates that exist (the editor also checks locally) */
  check: marketerProcedure.input(z.object({ document: FlowDocument })).query(async ({ ctx, input }) => {
    const templateIds = new Set((await listTemplates(ctx.deps.db)).map((t) => t.id));
    const r = validate(input.document, { templateIds });
    return r.ok ? [] : r.issues;
  }),
  gallery: marketerProcedure.query(() => galleryFlows),
});
