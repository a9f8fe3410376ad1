import { sql, type Selectable, type Transaction } from "kysely";
import { findLeadEvents, type DB, type OutboxJobTable } from "@leadflow/db";
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
import type { RuntimeDeps } from "./deps.js";
import { AppError } from "./errors.js";
import { loadFrequencyCap, signingKey, type FrequencyCap } from "./email-settings.js";
import { FlowCache } from "./flows.js";
import { ingestEvents } from "./ingest.js";
import { getLead, type LeadView } from "./leads.js";
import { signToken } from "./tracking-token.js";
import { deliverWebhook } from "./webhook.js";

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
  /** marketing e-mail over the frequency cap, moved to when it fits */
  deferred: number;
}

/** "superseded": the job's lease ran out and another process claimed it; that process delivers it */
type Outcome = "sent" | "skipped" | "deferred" | "superseded";

/** Exponential backoff with ±25% jitter, so retries of many jobs do not arrive together. */
export function backoffMs(attempt: number, random: number): number {
  const base = BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1);
  return Math.round(base * (0.75 + random * 0.5));
}

/**
 * Claims due outbox jobs (SKIP LOCKED: several processes never take the same job) and delivers
 * them. A job stays claimed for a lease; if the process dies, the job is claimed again later
 * with the same Message-ID. With the local mailbox, storing and marking sent is one transaction.
 * Marketing e-mail is checked against suppression and the frequency cap under the lead's row
 * lock just before it leaves (see docs/email.md for what a crash can and cannot do).
 * `flows` scores the `email_bounce` events of SMTP rejections (a fresh cache when not given).
 */
export async function deliverDue(deps: RuntimeDeps, now: Date, limit = 100, flows?: FlowCache): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, skipped: 0, retried: 0, dead: 0, deferred: 0 };
  const jobs = await claimJobs(deps, now, limit);
  const cap = jobs.some((j) => j.job_type === "email") ? await loadFrequencyCap(deps) : null;
  for (const job of jobs) {
    try {
      const outcome = await deliver(deps, job, now, cap);
      if (outcome !== "superseded") report[outcome]++;
    } catch (e) {
      const permanent = e instanceof PermanentDeliveryError;
      const dead = permanent || job.attempts >= MAX_ATTEMPTS;
      let error = (e as Error).message;
      if (e instanceof PermanentDeliveryError && e.recipientRejected && job.job_type === "email") {
        try {
          await recordSmtpBounce(deps, flows ?? new FlowCache(), job, e);
        } catch (bounceError) {
          error += ` (recording the bounce failed: ${(bounceError as Error).message})`;
        }
      }
      await deps.db
        .updateTable("outbox_jobs")
        .set({
          status: dead ? "dead" : "pending",
          last_error: error.slice(0, 2000),
          send_started_at: null,
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

/** An address the receiving server refused: a hard bounce, scored and suppressed like one from the API. */
async function recordSmtpBounce(deps: RuntimeDeps, flows: FlowCache, job: Job, e: PermanentDeliveryError) {
  await ingestEvents(deps, flows, [
    {
      id: `email_bounce:${job.id}`,
      leadId: job.lead_id,
      type: "email_bounce",
      properties: {
        kind: "hard", source: "smtp", jobId: job.id, templateId: job.payload.templateId ?? null,
        smtpCode: e.responseCode ?? null, message: e.message.slice(0, 500),
      },
    },
  ]);
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

async function deliver(deps: RuntimeDeps, job: Job, now: Date, cap: FrequencyCap): Promise<Outcome> {
  if (job.job_type === "webhook") {
    const outcome = await deliverWebhook(deps, job);
    await markDone(deps.db, job, outcome, now);
    return outcome;
  }
  let lead: LeadView;
  try {
    lead = await getLead(deps.db, job.lead_id);
  } catch (e) {
    if (e instanceof AppError && e.code === "not_found") {
      await markDone(deps.db, job, "skipped", now);
      return "skipped";
    }
    throw e;
  }
  const marketing = job.job_type === "email";
  const message = marketing ? await leadEmail(deps, job, lead) : await repNotification(deps, job, lead);
  if (!message) {
    await markDone(deps.db, job, "skipped", now);
    return "skipped";
  }
  if (deps.transport) {
    if (marketing) {
      const gate = await deps.db.transaction().execute((trx) => reserveSend(trx, job, now, cap, message.messageId));
      if (gate !== "go") return gate;
    }
    await deps.transport.send(message);
    // the window in which a crash can repeat this message: the server has said 250, this is not yet committed
    await markDone(deps.db, job, "sent", now, message.messageId);
    return "sent";
  }
  return deps.db.transaction().execute(async (trx) => {
    if (marketing) {
      const gate = await reserveSend(trx, job, now, cap, message.messageId);
      if (gate !== "go") return gate;
    }
    await trx
      .insertInto("mailbox")
      .values({
        job_id: job.id, message_id: message.messageId, to_address: message.to, from_address: message.from,
        subject: message.subject, html: message.html, text: message.text, headers: JSON.stringify(message.headers ?? {}),
        created_at: now,
      })
      .onConflict((oc) => oc.column("job_id").doNothing())
      .execute();
    await markDone(trx, job, "sent", now, message.messageId);
    return "sent" as const;
  });
}

/**
 * The last check before a marketing e-mail leaves, under the lead's row lock so that processes
 * delivering the same lead's e-mail at once see each other's reservations: a suppressed lead's
 * job is skipped; one over the frequency cap goes back to pending until the oldest counted
 * e-mail leaves the window (not an attempt: `attempts` is given back). Otherwise the job is
 * reserved (`send_started_at`), which counts toward the cap from then on. A job whose lease
 * another process has taken over (its claim bumped `attempts`) is left to that process.
 */
async function reserveSend(trx: Transaction<DB>, job: Job, now: Date, cap: FrequencyCap, messageId: string): Promise<Outcome | "go"> {
  // fencing: a process slower than its lease must not start a send another process now owns
  const current = await trx.selectFrom("outbox_jobs").select(["status", "attempts"]).where("id", "=", job.id).forUpdate().executeTakeFirst();
  if (!current || current.status !== "sending" || current.attempts !== job.attempts) return "superseded";
  const lead = await trx.selectFrom("leads").select(["status", "email_lower"]).where("id", "=", job.lead_id).forUpdate().executeTakeFirst();
  const suppressed =
    !lead ||
    lead.status !== "active" ||
    (await trx.selectFrom("email_suppressions").select("reason").where("email_lower", "=", lead.email_lower).executeTakeFirst()) !== undefined;
  if (suppressed) {
    await markDone(trx, job, "skipped", now);
    return "skipped";
  }
  if (cap) {
    const windowMs = cap.days * 86_400_000;
    const since = new Date(now.getTime() - windowMs);
    const counted = await trx
      .selectFrom("outbox_jobs")
      .select(["sent_at", "send_started_at"])
      .where("lead_id", "=", job.lead_id)
      .where("job_type", "=", "email")
      .where("id", "!=", job.id)
      .where((eb) =>
        eb.or([
          eb.and([eb("status", "=", "sent"), eb("sent_at", ">", since)]),
          // reserved by a delivery still in progress, or one whose process died: it may have gone out
          eb.and([eb("status", "=", "sending"), eb("send_started_at", ">", since)]),
        ]),
      )
      .execute();
    if (counted.length >= cap.max) {
      const times = counted.map((r) => new Date((r.sent_at ?? r.send_started_at)!).getTime()).sort((a, b) => a - b);
      const fitsAt = Math.max(times[counted.length - cap.max]! + windowMs + 1000, now.getTime() + 1000);
      await trx
        .updateTable("outbox_jobs")
        .set((eb) => ({ status: "pending", attempts: eb("attempts", "-", 1), next_attempt_at: new Date(fitsAt), send_started_at: null }))
        .where("id", "=", job.id)
        .execute();
      return "deferred";
    }
  }
  await trx.updateTable("outbox_jobs").set({ send_started_at: now, message_id: messageId }).where("id", "=", job.id).execute();
  return "go";
}

async function markDone(db: Transaction<DB> | RuntimeDeps["db"], job: Job, status: "sent" | "skipped", now: Date, messageId?: string) {
  await db
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
async function leadEmail(deps: RuntimeDeps, job: Job, lead: LeadView): Promise<OutgoingMessage | undefined> {
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
async function repNotification(deps: RuntimeDeps, job: Job, lead: LeadView): Promise<OutgoingMessage | undefined> {
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

/** An outbox job as the web app and the REST API list it. */
export interface OutboxJobView {
  id: string;
  leadId: string;
  leadEmail: string | null;
  flowId: string;
  nodeId: string;
  jobType: string;
  templateId: string | null;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
}

export const OUTBOX_STATUSES = ["pending", "sending", "sent", "skipped", "dead"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Outbox jobs, newest first; `status: "dead"` is the dead-letter list. */
export async function listOutbox(db: RuntimeDeps["db"], filter: { status?: OutboxStatus; limit?: number; id?: string } = {}): Promise<OutboxJobView[]> {
  let q = db
    .selectFrom("outbox_jobs as j")
    .leftJoin("leads as l", "l.id", "j.lead_id")
    .select([
      "j.id", "j.lead_id", "l.email", "j.flow_id", "j.node_id", "j.job_type", "j.payload", "j.status", "j.attempts",
      "j.next_attempt_at", "j.last_error", "j.message_id", "j.created_at", "j.sent_at",
    ])
    .orderBy("j.created_at", "desc")
    .orderBy("j.id")
    .limit(Math.min(Math.max(filter.limit ?? 100, 1), 1000));
  if (filter.status) q = q.where("j.status", "=", filter.status);
  if (filter.id) q = q.where("j.id", "=", filter.id);
  const rows = await q.execute();
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return rows.map((r) => ({
    id: r.id, leadId: r.lead_id, leadEmail: r.email, flowId: r.flow_id, nodeId: r.node_id, jobType: r.job_type,
    templateId: typeof r.payload.templateId === "string" ? r.payload.templateId : null, status: r.status,
    attempts: r.attempts, nextAttemptAt: iso(r.next_attempt_at)!, lastError: r.last_error, messageId: r.message_id,
    createdAt: iso(r.created_at)!, sentAt: iso(r.sent_at),
  }));
}

/**
 * Gives a dead job a fresh set of attempts, due now. Only dead jobs: retrying one that is
 * pending, in flight or done could send a step twice. Throws not_found / conflict.
 */
export async function retryJob(db: RuntimeDeps["db"], id: string, now: Date): Promise<OutboxJobView> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new AppError("not_found", `outbox job ${id} not found`);
  const updated = await db
    .updateTable("outbox_jobs")
    .set({ status: "pending", attempts: 0, next_attempt_at: now, last_error: null, send_started_at: null })
    .where("id", "=", id)
    .where("status", "=", "dead")
    .returning("id")
    .executeTakeFirst();
  if (!updated) {
    const job = await db.selectFrom("outbox_jobs").select("status").where("id", "=", id).executeTakeFirst();
    if (!job) throw new AppError("not_found", `outbox job ${id} not found`);
    throw new AppError("conflict", `outbox job ${id} is ${job.status}, not dead: only dead jobs can be retried`);
  }
  const [view] = await listOutbox(db, { id });
  return view!;
}
