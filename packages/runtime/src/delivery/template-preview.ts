import { PART_LABELS, renderTemplate, TemplateError, withUnsubscribeLink, type RenderedMessage, type TemplateSource, type TemplateVariables } from "@leadflow/mailer";
import type { RuntimeDeps } from "../deps.js";
import { DELIVERY_LEAD_VERSION, requireDeliveryLead, type DeliveryLead } from "./delivery-lead.js";
import { templateVariables } from "./template-variables.js";

/**
 * The one sample lead: what a template is checked with when saved, previewed with and test-sent
 * with when no real lead is named. Its fields are those of every lead, so a template that uses
 * `lead.stage`, `lead.scores.fit` or `lead.id` shows what sending will put there.
 */
export const SAMPLE_LEAD: DeliveryLead = {
  version: DELIVERY_LEAD_VERSION,
  id: "00000000-0000-4000-8000-000000000000",
  email: "anna@example.com",
  properties: { firstName: "Anna", lastName: "Example", company: "Example Inc", jobTitle: "Head of Marketing", country: "HU" },
  stage: "lead",
  status: "active",
  owner: { id: "sam", name: "Sam Seller", email: "sam@example.com" },
  scores: { fit: 20, engagement: 22, total: 42, categories: {} },
  tier: "Warm",
  latestPoints: [],
};

/** The unsubscribe link of a rendering that is not a real send: it names no job or lead, so it leads nowhere. */
const sampleUnsubscribeUrl = (deps: Pick<RuntimeDeps, "config">) => `${deps.config.publicUrl}/u/test-message`;

/** The sample lead's variables for the check a template gets when saved (the link's host does not matter there). */
export const SAMPLE_CHECK_VARIABLES: TemplateVariables = templateVariables(SAMPLE_LEAD, "https://example.com/u/test-message");

/**
 * A template rendered as a marketer's check renders it (the preview, the test send): for the
 * lead with that id or e-mail, or the sample lead, with the variables sending uses and the
 * unsubscribe footer sending appends. Throws TemplateError for a template that breaks a limit.
 */
export async function renderForMarketer(deps: RuntimeDeps, template: TemplateSource, leadKey?: string): Promise<RenderedMessage> {
  const lead = leadKey ? await requireDeliveryLead(deps.db, leadKey) : SAMPLE_LEAD;
  return renderTemplate(withUnsubscribeLink(template), templateVariables(lead, sampleUnsubscribeUrl(deps)));
}

export type TemplatePreview = ({ ok: true } & RenderedMessage) | { ok: false; error: string };

/** The preview of a template being edited: its rendering, or why it cannot be rendered (a part and the reason). */
export async function previewTemplate(deps: RuntimeDeps, template: TemplateSource, leadEmail?: string): Promise<TemplatePreview> {
  try {
    return { ok: true, ...(await renderForMarketer(deps, template, leadEmail)) };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    return { ok: false, error: `${PART_LABELS[e.part]}: ${e.reason}` };
  }
}
