import { z } from "zod";
import { listTemplates, previewTemplate, saveTemplate, sendTestEmail, TemplateInputSchema, TestEmailInput } from "@leadflow/runtime";
import { documentInput } from "../document-input.js";
import { marketerProcedure, router } from "../trpc.js";

const Template = documentInput(TemplateInputSchema, "template");

export const templatesRouter = router({
  list: marketerProcedure.query(({ ctx }) => listTemplates(ctx.deps.db)),
  save: marketerProcedure
    .input(z.object({ id: z.string().min(1).max(64), template: Template }))
    .mutation(({ ctx, input }) => saveTemplate(ctx.deps.db, input.id, input.template)),
  /**
   * renders a template for the sample lead (or a real one by e-mail) with the variables sending
   * uses; a mutation (POST) because the template is too large, and too private, for a URL
   */
  preview: marketerProcedure
    .input(z.object({ template: Template, leadEmail: z.string().max(320).optional() }))
    .mutation(({ ctx, input }) => previewTemplate(ctx.deps, input.template, input.leadEmail)),
  /** sends one rendering of a saved template to an address ("[Test]" subject, no tracking) */
  sendTest: marketerProcedure
    .input(TestEmailInput.extend({ id: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => sendTestEmail(ctx.deps, input.id, { to: input.to, leadEmail: input.leadEmail })),
});
