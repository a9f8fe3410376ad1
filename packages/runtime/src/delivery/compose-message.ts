import { findLeadEvents } from "@leadflow/db";
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
import type { LeadView } from "../read/lead-view.js";
import type { Job } from "./outbox-claim.js";
import { signToken } from "./tracking-token.js";

const messageIdFor = (deps: RuntimeDeps, job: Job) => `<${job.id}@${new URL(deps.config.publicUrl).hostname}>`;

/** Variables of a lead for templates: its properties, e-mail, stage, tier and scores. */
export function leadVariables(lead: LeadView): Record<string, unknown> {
  return { ...lead.properties, id: lead.id, email: lead.email, stage: lead.stage, tier: lead.tier, score: lead.scores.total, scores: lead.scores };
}

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
export async function leadEmail(deps: RuntimeDeps, job: Job, lead: LeadView): Promise<OutgoingMessage | undefined> {
  if (lead.status !== "active") return undefined; // unsubscribed or bounced: never mailed
  const templateId = String(job.payload.templateId);
  const template = await deps.db.selectFrom("templates").select(["subject", "html", "text"]).where("id", "=", templateId).executeTakeFirst();
  if (!template) throw new PermanentDeliveryError(`template ${templateId} no longer exists`);
  const key = await signingKey(deps);
  const base = deps.config.publicUrl;
  const claims = { jobId: job.id, leadId: lead.id };
  const unsubscribeUrl = `${base}/u/${signToken(key, { ...claims, kind: "unsubscribe" })}`;
  const rendered = renderForJob(`template ${templateId}`, withUnsubscribeLink(template), {
    lead: leadVariables(lead),
    owner: lead.owner,
    unsubscribe_url: unsubscribeUrl,
  });
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

const notificationTemplate = {
  subject: "{{ reason }}: {{ lead.firstName | default: lead.email }} ({{ lead.tier }}, {{ lead.score }} points)",
  html: `<p>Hi {{ rep.name }},</p>
<p>{{ reason }}: <strong>{{ lead.firstName }} {{ lead.lastName }}</strong> &lt;{{ lead.email }}&gt;{% if lead.company %}, {{ lead.company }}{% endif %}.</p>
<p>Tier <strong>{{ lead.tier }}</strong>, total <strong>{{ lead.score }}</strong> (fit {{ lead.scores.fit }}, engagement {{ lead.scores.engagement }}).</p>
{% if fit.size > 0 %}<p>Fit:</p><ul>{% for f in fit %}<li>{{ f.field }} {{ f.op }} {{ f.value }}: {{ f.points }}</li>{% endfor %}</ul>{% endif %}
<p>Why (latest points):</p><ul>{% for l in ledger %}<li>{{ l.at }}: {{ l.delta }}{% if l.category %} ({{ l.category }}){% endif %} from flow {{ l.flowId }}, node {{ l.nodeId }}</li>{% endfor %}</ul>
<p>Recent activity:</p><ul>{% for e in events %}<li>{{ e.at }}: {{ e.type }} {{ e.detail }}</li>{% endfor %}</ul>
<p><a href="{{ link }}">Open the lead in Leadflow</a></p>`,
};

/** The e-mail to a rep: who the lead is, its score breakdown and recent activity. */
export async function repNotification(deps: RuntimeDeps, job: Job, lead: LeadView): Promise<OutgoingMessage | undefined> {
  const to = job.payload.to;
  let rep: { name: string; email: string } | undefined;
  if (typeof to === "string" && to !== "owner") rep = { name: to, email: to };
  else {
    const repId = (job.payload.repId as string | undefined) ?? lead.owner?.id;
    rep = repId ? await deps.db.selectFrom("sales_reps").select(["name", "email"]).where("id", "=", repId).executeTakeFirst() : undefined;
  }
  if (!rep) return undefined; // no owner to notify
  const events = await findLeadEvents(deps.db, lead.id, 10);
  const rendered: RenderedMessage = renderForJob("the rep notification", notificationTemplate, {
    lead: leadVariables(lead),
    rep,
    reason: job.payload.reason === "assigned" ? "New lead assigned to you" : "Lead update",
    fit: lead.fit,
    ledger: lead.ledger.slice(-10).reverse(),
    events: events.map((e) => ({ type: e.type, at: new Date(e.occurred_at).toISOString(), detail: (e.properties.url as string | undefined) ?? "" })),
    link: `${deps.config.publicUrl}/leads/${lead.id}`,
  });
  return { ...rendered, from: deps.config.mailFrom, to: rep.email, messageId: messageIdFor(deps, job) };
}
