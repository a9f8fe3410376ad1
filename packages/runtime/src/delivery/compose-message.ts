import { findLeadEvents, findRepContact, findTemplate } from "@leadflow/db";
import {
  PermanentDeliveryError,
  addTracking,
  PART_LABELS,
  renderTemplate,
  TemplateError,
  withUnsubscribeLink,
  type OutgoingMessage,
  type RenderedMessage,
  type TemplateSource,
  type TemplateVariables,
} from "@leadflow/mailer";
import type { RuntimeDeps } from "../deps.js";
import { signingKey } from "./email-settings.js";
import { loadScoringModel } from "../settings/scoring-model.js";
import type { DeliveryLead } from "./delivery-lead.js";
import { NOTIFICATION_LATEST, NOTIFICATION_TEMPLATE } from "./notification-template.js";
import type { Job } from "./outbox-claim.js";
import { leadVariables, templateVariables } from "./template-variables.js";
import { matchingFitRules } from "../scoring/fit-explanation.js";
import { signToken } from "./tracking-token.js";

/** The composer: the message an outbox job sends, for the lead it is about. */

const messageIdFor = (deps: RuntimeDeps, job: Job) => `<${job.id}@${new URL(deps.config.publicUrl).hostname}>`;

/**
 * A template that breaks a limit (or does not parse) for this lead's data fails its job for
 * good: a retry would render the same data the same way. The reason is kept on the dead job.
 */
function renderForJob(what: string, template: TemplateSource, vars: TemplateVariables): RenderedMessage {
  try {
    return renderTemplate(template, vars);
  } catch (e) {
    if (e instanceof TemplateError) throw new PermanentDeliveryError(`${what} (${PART_LABELS[e.part]}): ${e.reason}`);
    throw e;
  }
}

/**
 * A lead's marketing e-mail: rendered with the unsubscribe link (the template's own or an
 * appended footer), its links rewritten through click tracking, the open pixel, and the RFC 8058
 * header pair. Every token is signed for this job and lead.
 */
export async function leadEmail(deps: RuntimeDeps, job: Job, lead: DeliveryLead): Promise<OutgoingMessage | undefined> {
  if (lead.status !== "active") return undefined; // unsubscribed or bounced: never mailed
  const templateId = String(job.payload.templateId);
  const template = await findTemplate(deps.db, templateId);
  if (!template) throw new PermanentDeliveryError(`template ${templateId} no longer exists`);
  const key = await signingKey(deps);
  const base = deps.config.publicUrl;
  const claims = { jobId: job.id, leadId: lead.id };
  const unsubscribeUrl = `${base}/u/${signToken(key, { ...claims, kind: "unsubscribe" })}`;
  const rendered = renderForJob(`template ${templateId}`, withUnsubscribeLink(template), templateVariables(lead, unsubscribeUrl));
  const html = addTracking(rendered.html, {
    pixelUrl: `${base}/t/o/${signToken(key, { ...claims, kind: "open" })}`,
    trackLink: (url) => (url === unsubscribeUrl ? undefined : `${base}/t/c/${signToken(key, { ...claims, kind: "click", url })}`),
  });
  return {
    ...rendered,
    html,
    from: deps.config.mailFrom,
    to: lead.email,
    messageId: messageIdFor(deps, job),
    headers: { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}

/** Who a notification goes to: an address the node names, the rep it names, or the lead's owner. */
async function notifiedRep(deps: RuntimeDeps, job: Job, lead: DeliveryLead): Promise<{ name: string; email: string } | undefined> {
  const to = job.payload.to;
  if (typeof to === "string" && to !== "owner") return { name: to, email: to };
  const repId = job.payload.repId as string | undefined;
  if (repId && repId !== lead.owner?.id) return findRepContact(deps.db, repId);
  return lead.owner ?? undefined;
}

/**
 * The e-mail to a rep: who the lead is, its score breakdown, the fit rules it matches, its
 * latest points and recent activity. `lead` carries its NOTIFICATION_LATEST newest ledger entries.
 */
export async function repNotification(deps: RuntimeDeps, job: Job, lead: DeliveryLead): Promise<OutgoingMessage | undefined> {
  const rep = await notifiedRep(deps, job, lead);
  if (!rep) return undefined; // no owner to notify
  const [events, model] = await Promise.all([findLeadEvents(deps.db, lead.id, NOTIFICATION_LATEST), loadScoringModel(deps.db)]);
  const rendered = renderForJob("the rep notification", NOTIFICATION_TEMPLATE, {
    lead: leadVariables(lead),
    rep: { name: rep.name, email: rep.email },
    reason: job.payload.reason === "assigned" ? "New lead assigned to you" : "Lead update",
    fit: matchingFitRules(model.fitRules, lead),
    ledger: lead.latestPoints,
    events: events.map((e) => ({ type: e.type, at: new Date(e.occurred_at).toISOString(), detail: (e.properties.url as string | undefined) ?? "" })),
    link: `${deps.config.publicUrl}/leads/${lead.id}`,
  });
  return { ...rendered, from: deps.config.mailFrom, to: rep.email, messageId: messageIdFor(deps, job) };
}
