import { z } from "zod";
import { OutboxStatus } from "@leadflow/flow";
import { listOutbox, retryJob } from "@leadflow/runtime";
import { marketerProcedure, router } from "../trpc.js";

/** Delivery: outbox jobs (the dead-letter list is `status: "dead"`) and retrying a dead job. */
export const outboxRouter = router({
  list: marketerProcedure
    .input(z.object({ status: OutboxStatus.optional(), limit: z.number().int().min(1).max(1000).optional() }))
    .query(({ ctx, input }) => listOutbox(ctx.deps.db, { status: input.status, limit: input.limit ?? 100 })),
  /** gives a dead job a fresh set of attempts, due now; only dead jobs (conflict otherwise) */
  retry: marketerProcedure
    .input(z.object({ id: z.uuid("id must be an outbox job id (a UUID)") }))
    .mutation(({ ctx, input }) => retryJob(ctx.deps.db, input.id, ctx.deps.clock.now())),
});
