import { failOutboxJob, type DB, type Kysely, type Transaction } from "@leadflow/db";
import { PermanentDeliveryError, type MailTransport } from "@leadflow/mailer";
import type { RuntimeDeps } from "../deps.js";
import { loadFrequencyCap } from "./email-settings.js";
import type { FrequencyCap } from "../settings/settings-store.js";
import { ingestEvents } from "../intake/ingest.js";
import { leadEmail, repNotification } from "./compose-message.js";
import { loadDeliveryLead } from "./delivery-lead.js";
import { localMailboxTransport } from "./mailbox.js";
import { NOTIFICATION_LATEST } from "./notification-template.js";
import { backoffMs, claimJobs, markDone, MAX_ATTEMPTS, reserveSend, type Job, type Outcome } from "./outbox-claim.js";
import { deliverWebhook } from "./webhook.js";

export interface DeliveryReport {
  sent: number;
  skipped: number;
  retried: number;
  dead: number;
  /** marketing e-mail over the frequency cap, moved to when it fits */
  deferred: number;
}

/**
 * Claims due outbox jobs (SKIP LOCKED: several processes never take the same job) and delivers
 * them. A job stays claimed for a lease; if the process dies, the job is claimed again later
 * with the same Message-ID. With the local mailbox, storing and marking sent is one transaction.
 * Marketing e-mail is checked against suppression and the frequency cap under the lead's row
 * lock just before it leaves (see docs/email.md for what a crash can and cannot do).
 * SMTP rejections of the recipient are recorded as `email_bounce` events, scored with `deps.flows`.
 */
export async function deliverDue(deps: RuntimeDeps, now: Date, limit = 100): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, skipped: 0, retried: 0, dead: 0, deferred: 0 };
  const jobs = await claimJobs(deps.db, now, limit);
  const cap = jobs.some((j) => j.job_type === "email") ? await loadFrequencyCap(deps) : null;
  for (const job of jobs) {
    try {
      const outcome = await deliver(deps, job, now, cap);
      if (outcome !== "superseded") report[outcome]++;
    } catch (e) {
      const dead = await recordFailure(deps, job, now, e as Error);
      if (dead) report.dead++;
      else report.retried++;
    }
  }
  return report;
}

/** A failed attempt: retried with backoff, or dead when trying again cannot help or the tries are used up. Returns whether dead. */
async function recordFailure(deps: RuntimeDeps, job: Job, now: Date, e: Error): Promise<boolean> {
  const dead = e instanceof PermanentDeliveryError || job.attempts >= MAX_ATTEMPTS;
  let error = e.message;
  if (e instanceof PermanentDeliveryError && e.recipientRejected && job.job_type === "email") {
    try {
      await recordSmtpBounce(deps, job, e);
    } catch (bounceError) {
      error += ` (recording the bounce failed: ${(bounceError as Error).message})`;
    }
  }
  await failOutboxJob(deps.db, job.id, { dead, error, nextAttemptAt: new Date(now.getTime() + (dead ? 0 : backoffMs(job.attempts, Math.random()))) });
  return dead;
}

/** An address the receiving server refused: a hard bounce, scored and suppressed like one from the API. */
async function recordSmtpBounce(deps: RuntimeDeps, job: Job, e: PermanentDeliveryError) {
  await ingestEvents(deps, [
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

async function deliver(deps: RuntimeDeps, job: Job, now: Date, cap: FrequencyCap): Promise<Outcome> {
  if (job.job_type === "webhook") {
    const outcome = await deliverWebhook(deps, job);
    await markDone(deps.db, job, outcome, now);
    return outcome;
  }
  const marketing = job.job_type === "email";
  // a rep's notification lists the lead's latest points; a marketing e-mail needs none
  const lead = await loadDeliveryLead(deps.db, { id: job.lead_id }, marketing ? 0 : NOTIFICATION_LATEST);
  const message = lead && (marketing ? await leadEmail(deps, job, lead) : await repNotification(deps, job, lead));
  if (!message) {
    await markDone(deps.db, job, "skipped", now); // the lead is gone, not mailable, or has no one to notify
    return "skipped";
  }
  return withTransport(deps, job, now, async (db, transport) => {
    if (marketing) {
      const gate = await inTransaction(db, (trx) => reserveSend(trx, job, now, cap, message.messageId));
      if (gate !== "go") return gate;
    }
    await transport.send(message);
    // with SMTP, the window in which a crash can repeat this message: the server has said 250, this is not yet committed
    await markDone(db, job, "sent", now, message.messageId);
    return "sent";
  });
}

/**
 * Runs a send with its transport. SMTP cannot be part of a transaction: the gate commits its
 * reservation first, the job is marked sent after the server's answer. The local mailbox is
 * given the transaction itself, so the gate, the stored message and `sent` commit together.
 */
async function withTransport<T>(deps: RuntimeDeps, job: Job, now: Date, work: (db: Kysely<DB>, transport: MailTransport) => Promise<T>): Promise<T> {
  if (deps.transport) return work(deps.db, deps.transport);
  return deps.db.transaction().execute((trx) => work(trx, localMailboxTransport(trx, { jobId: job.id, now })));
}

/** `work` in the transaction already open, or in a new one. */
function inTransaction<T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<DB>) : db.transaction().execute(work);
}
