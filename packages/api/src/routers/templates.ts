import { z } from "zod";
import { PART_LABELS, renderTemplate, TemplateError } from "@leadflow/mailer";
import { getLead, listTemplates, saveTemplate, sendTestEmail, TemplateInputSchema, TestEmailInput } from "@leadflow/runtime";
import { marketerProcedure, router } from "../trpc.js";

const sampleLead = { firstName: "Anna", lastName: "Example", email: "anna@example.com", company: "Example Kft.", country: "HU", tier: "Warm", score: 50 };

export const templatesRouter = router({
  list: marketerProcedure.query(({ ctx }) => listTemplates(ctx.deps.db)),
  save: marketerProcedure
    .input(z.object({ id: z.string().min(1).max(64), template: z.unknown() }))
    .mutation(({ ctx, input }) => saveTemplate(ctx.deps.db, input.id, input.template)),
  /**
   * renders a template for a sample lead (or a real one by e-mail), as it would be sent; a
   * mutation (POST) because the template is too large, and too private, for a URL
   */
  preview: marketerProcedure
    .input(z.object({ template: TemplateInputSchema, leadEmail: z.string().max(320).optional() }))
    .mutation(async ({ ctx, input }) => {
      let lead: Record<string, unknown> = sampleLead;
      let owner: { name: string; email: string } | null = { name: "Rita Rep", email: "rita@example.com" };
      if (input.leadEmail) {
        const l = await getLead(ctx.deps.db, input.leadEmail);
        lead = { ...l.properties, email: l.email, tier: l.tier, score: l.scores.total };
        owner = l.owner;
      }
      try {
        return { ok: true as const, ...renderTemplate(input.template, { lead, owner }) };
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        return { ok: false as const, error: `${PART_LABELS[e.part]}: ${e.reason}` };
      }
    }),
  /** sends one rendering of a saved template to an address ("[Test]" subject, no tracking) */
  sendTest: marketerProcedure
    .input(TestEmailInput.extend({ id: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => sendTestEmail(ctx.deps, input.id, { to: input.to, leadEmail: input.leadEmail })),
});
