import { z } from "zod";
import { AppError, dashboardStats, emptyLeadPage, getLead, leadActivity, LeadListQuery, listLeads } from "@leadflow/runtime";
import { authedProcedure, router } from "../trpc.js";

export const leadsRouter = router({
  dashboard: authedProcedure.query(({ ctx }) => dashboardStats(ctx.deps.db, ctx.deps.clock.now())),
  /** a sales user sees only the leads they own; one not linked to a rep (yet) owns none */
  list: authedProcedure.input(LeadListQuery).query(({ ctx, input }) => {
    if (ctx.user.role !== "sales") return listLeads(ctx.deps.db, input);
    if (ctx.user.repId === null) return emptyLeadPage(input);
    return listLeads(ctx.deps.db, { ...input, owner: ctx.user.repId });
  }),
  get: authedProcedure.input(z.object({ id: z.string().min(1).max(320) })).query(async ({ ctx, input }) => {
    const lead = await getLead(ctx.deps.db, input.id);
    if (ctx.user.role === "sales" && lead.owner?.id !== ctx.user.repId) throw new AppError("forbidden", "this lead belongs to another rep");
    return { lead, activity: await leadActivity(ctx.deps.db, lead.id) };
  }),
});
