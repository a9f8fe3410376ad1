import { z } from "zod";
import { createSiteKey, listSiteKeyViews, revokeSiteKeyById } from "@leadflow/runtime";
import { marketerProcedure, router } from "../trpc.js";

const SiteKeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  origins: z.array(z.string()),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
// the service checks names and origins and says what is wrong in a sentence; this only bounds sizes
const CreateInput = z.object({ name: z.string().max(1000), origins: z.array(z.string().max(1000)).max(100).default([]) });

/** Site keys for the website snippet: listed without the key; created with it (shown once); revoked. */
export const siteKeysRouter = router({
  list: marketerProcedure.output(z.object({ siteKeys: z.array(SiteKeyView) })).query(async ({ ctx }) => ({ siteKeys: await listSiteKeyViews(ctx.deps.db) })),
  create: marketerProcedure
    .input(CreateInput)
    .output(SiteKeyView.extend({ key: z.string() }))
    .mutation(({ ctx, input }) => createSiteKey(ctx.deps.db, input)),
  revoke: marketerProcedure
    .input(z.object({ id: z.uuid("id must be a site key's id") }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await revokeSiteKeyById(ctx.deps.db, input.id);
      return { ok: true as const };
    }),
});
