import { sql, type Selectable } from "kysely";
import type { OutboxJobTable } from "@leadflow/db";
import { PermanentDeliveryError, renderTemplate, type OutgoingMessage, type RenderedMessage } from "@leadflow/mailer";
import type { RuntimeDeps } from "./deps.js";
import { getLead, type LeadView } from "./leads.js";

type Job = Selectable<OutboxJobTable>;

export const MAX_ATTEMPTS = 6;
/** how long a claimed job is ours; a process that dies mid-send frees it after this */
const LEASE_MS = 5 * 60_000;
const BASE_BACKOFF_MS = 60_000;

export interface DeliveryReport {
  sent: number;
  skipped: number;
  retried: number;
  dead: number;
}

/** Exponential backoff with ±25% jitter, so retries of many jobs do not arrive together. */
export function backoffMs(attempt: number, random: number): number {
  const base = BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1);
  return Math.round(base * (0.75 + random * 0.5));
}

/**
 * Claims due outbox jobs (SKIP LOCKED: several processes never take the same job) and delivers
 * them. A job stays claimed for a lease; if the process dies, the job is claimed again later
 * with the same Message-ID. With the local mailbox, storing and marking sent is one transaction.
 */
export async function deliverDue(deps: RuntimeDeps, now: Date, limit = 100): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, skipped: 0, retried: 0, dead: 0 };
  const jobs = await claimJobs(deps, now, limit);
  for (const job of jobs) {
    try {
      const outcome = await deliver(deps, job, now);
      if (outcome === "skipped") report.skipped++;
      else report.sent++;
    } catch (e) {
      const permanent = e instanceof PermanentDeliveryError;
      const dead = permanent || job.attempts >= MAX_ATTEMPTS;
      await deps.db
        .updateTable("outbox_jobs")
        .set({
          status: dead ? "dead" : "pending",
          last_error: (e as Error).message.slice(0, 2000),
          next_attempt_at: new Date(now.getTime() + (dead ? 0 : backoffMs(job.attempts, Math.random()))),
        })
        .where("id", "=", job.id)
        .execute();
      if (dead) report.dead++;
      else report.retried++;
    }
  }
  return report;
}

async function claimJobs(deps: RuntimeDeps, now: Date, limit: number): Promise<Job[]> {
  const lease = new Date(now.getTime() + LEASE_MS);
  const { rows } = await sql<Job>`
    UPDATE outbox_jobs SET status = 'sending', attempts = attempts + 1, next_attempt_at = ${lease}
    WHERE id IN (
      SELECT id FROM outbox_jobs
      WHERE status IN ('pending', 'sending') AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(deps.db);
  return rows;
}

async function deliver(deps: RuntimeDeps, job: Job, now: Date): Promise<"sent" | "skipped"> {
  const lead = await getLead(deps.db, job.lead_id);
  if (job.job_type === "webhook") {
    await postWebhook(job, lead);
    await markDone(deps, job, "sent", now);
    return "sent";
  }
  const message = job.job_type === "email" ? await leadEmail(deps, job, lead) : await repNotification(deps, job, lead);
  if (!message) {
    await markDone(deps, job, "skipped", now);
    return "skipped";
  }
  if (deps.transport) {
    await deps.transport.send(message);
    await markDone(deps, job, "sent", now, message.messageId);
  } else {
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("mailbox")
        .values({
          job_id: job.id, message_id: message.messageId, to_address: message.to, from_address: message.from,
          subject: message.subject, html: message.html, text: message.text, headers: JSON.stringify(message.headers ?? {}),
          created_at: now,
        })
        .onConflict((oc) => oc.column("job_id").doNothing())
        .execute();
      await trx
        .updateTable("outbox_jobs")
        .set({ status: "sent", sent_at: now, message_id: message.messageId, last_error: null })
        .where("id", "=", job.id)
        .execute();
    });
  }
  return "sent";
}

async function markDone(deps: RuntimeDeps, job: Job, status: "sent" | "skipped", now: Date, messageId?: string) {
  await deps.db
    .updateTable("outbox_jobs")
    .set({ status, sent_at: status === "sent" ? now : null, message_id: messageId ?? null, last_error: null })
    .where("id", "=", job.id)
    .execute();
}

const messageIdFor = (deps: RuntimeDeps, job: Job) => `<${job.id}@${new URL(deps.config.publicUrl).hostname}>`;

/** Variables of a lead for templates: its properties, e-mail, stage, tier and scores. */
export function leadVariables(lead: LeadView): Record<string, unknown> {
  return { ...lead.properties, id: lead.id, email: lead.email, stage: lead.stage, tier: lead.tier, score: lead.scores.total, scores: lead.scores };
}

async function leadEmail(deps: RuntimeDeps, job: Job, lead: LeadView): Promise<OutgoingMessage | undefined> {
  if (lead.status !== "active") return undefined; // unsubscribed or bounced: never mailed
  const templateId = String(job.payload.templateId);
  const template = await deps.db.selectFrom("templates").select(["subject", "html", "text"]).where("id", "=", templateId).executeTakeFirst();
  if (!template) throw new PermanentDeliveryError(`template ${templateId} no longer exists`);
  const rendered = renderTemplate(template, { lead: leadVariables(lead), owner: lead.owner });
  return { ...rendered, from: deps.config.mailFrom, to: lead.email, messageId: messageIdFor(deps, job) };
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
async function repNotification(deps: RuntimeDeps, job: Job, lead: LeadView): Promise<OutgoingMessage | undefined> {
  const to = job.payload.to;
  let rep: { name: string; email: string } | undefined;
  if (typeof to === "string" && to !== "owner") rep = { name: to, email: to };
  else {
    const repId = (job.payload.repId as string | undefined) ?? lead.owner?.id;
    rep = repId ? await deps.db.selectFrom("sales_reps").select(["name", "email"]).where("id", "=", repId).executeTakeFirst() : undefined;
  }
  if (!rep) return undefined; // no owner to notify
  const events = await deps.db
    .selectFrom("events")
    .select(["type", "properties", "occurred_at"])
    .where("lead_id", "=", lead.id)
    .orderBy("occurred_at", "desc")
    .limit(10)
    .execute();
  const rendered: RenderedMessage = renderTemplate(notificationTemplate, {
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

async function postWebhook(job: Job, lead: LeadView): Promise<void> {
  const res = await fetch(String(job.payload.url), {
    method: String(job.payload.method ?? "POST"),
    headers: { "content-type": "application/json", "user-agent": "Leadflow" },
    body: JSON.stringify({ lead, flowId: job.flow_id, nodeId: job.node_id, runId: job.run_id }),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new PermanentDeliveryError(`webhook answered ${res.status}`);
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
}
