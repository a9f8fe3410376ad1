import type { TemplateVariables } from "@leadflow/mailer";
import type { DeliveryLead } from "./delivery-lead.js";

/** What a template's variables are made of: the lead's public fields and its owner. */
export type TemplateLead = Pick<DeliveryLead, "id" | "email" | "properties" | "stage" | "status" | "tier" | "scores" | "owner">;

/**
 * `lead` in a template: its properties, id, e-mail, stage, tier and scores (`lead.score` is the
 * total). The one builder for sending, the test send and the preview, so a template renders
 * the same in all three (docs/email.md lists the variables).
 */
export function leadVariables(lead: TemplateLead): Record<string, unknown> {
  return { ...lead.properties, id: lead.id, email: lead.email, stage: lead.stage, tier: lead.tier, score: lead.scores.total, scores: lead.scores };
}

/** Every variable a marketing template is filled in with. */
export function templateVariables(lead: TemplateLead, unsubscribeUrl: string): TemplateVariables {
  return { lead: leadVariables(lead), owner: lead.owner, unsubscribe_url: unsubscribeUrl };
}
