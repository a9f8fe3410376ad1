import { insertMailboxMessage } from "@leadflow/db";
import { PermanentDeliveryError } from "@leadflow/mailer";
import type { RuntimeDeps } from "../deps.js";
import { AppError } from "../errors.js";
import { loadFrequencyCap, type FrequencyCap } from "./email-settings.js";
import { ingestEvents } from "../intake/ingest.js";
import { getLead, type LeadView } from "../read/lead-view.js";
import { leadEmail, repNotification } from "./compose-message.js";
import { backoffMs, MAX_ATTEMPTS } from "./outbox-backoff.js";
import { claimJobs, markDone, type Job } from "./outbox-claim.js";
import { reserveSend, type Outcome } from "./send-gate.js";
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
 * `flows` scores the `email_bounce` events of SMTP rejections (a fresh cache when not given).
 */
export async function deliverDue(deps: RuntimeDeps, now: Date, limit = 100): Promise<DeliveryReport> {
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
          await recordSmtpBounce(deps, job, e);
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
    await insertMailboxMessage(trx, job.id, message, now);
    await markDone(trx, job, "sent", now, message.messageId);
    return "sent" as const;
  });
}
