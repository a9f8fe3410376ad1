import {
  claimOutboxJobs,
  deferOutboxJob,
  findCountedEmailTimes,
  isAddressSuppressed,
  lockLeadForSend,
  lockOutboxJob,
  markOutboxJobDone,
  reserveOutboxJob,
  type DB,
  type Kysely,
  type OutboxJob,
  type Transaction,
} from "@leadflow/db";
import type { FrequencyCap } from "../settings/settings-store.js";

/**
 * Claim and gate: which process delivers a job (a lease), how often it is tried (backoff), and
 * the last check before a marketing e-mail leaves (suppression, the frequency cap, the fence).
 */

export type Job = OutboxJob;

/** how long a claimed job is ours; a process that dies mid-send frees it after this */
const LEASE_MS = 5 * 60_000;

/**
 * Claims due outbox jobs (SKIP LOCKED: several processes never take the same job) for a lease;
 * a job whose process died is due again once the lease runs out.
 */
export async function claimJobs(db: Kysely<DB>, now: Date, limit: number): Promise<Job[]> {
  return claimOutboxJobs(db, now, new Date(now.getTime() + LEASE_MS), limit);
}

/** Marks a job done; in the transaction that stored its message when the local mailbox delivers it. */
export async function markDone(db: Kysely<DB>, job: Job, status: "sent" | "skipped", now: Date, messageId?: string) {
  await markOutboxJobDone(db, job.id, status, now, messageId);
}

/** after this many attempts a failing job is dead (the dead-letter list) */
export const MAX_ATTEMPTS = 6;
const BASE_BACKOFF_MS = 60_000;

/** Exponential backoff with ±25% jitter, so retries of many jobs do not arrive together. */
export function backoffMs(attempt: number, random: number): number {
  const base = BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1);
  return Math.round(base * (0.75 + random * 0.5));
}

/** "superseded": the job's lease ran out and another process claimed it; that process delivers it */
export type Outcome = "sent" | "skipped" | "deferred" | "superseded";

/**
 * The last check before a marketing e-mail leaves, under the lead's row lock so that processes
 * delivering the same lead's e-mail at once see each other's reservations: a suppressed lead's
 * job is skipped; one over the frequency cap goes back to pending until the oldest counted
 * e-mail leaves the window (not an attempt: `attempts` is given back). Otherwise the job is
 * reserved (`send_started_at`), which counts toward the cap from then on. A job whose lease
 * another process has taken over (its claim bumped `attempts`) is left to that process.
 */
export async function reserveSend(trx: Transaction<DB>, job: Job, now: Date, cap: FrequencyCap, messageId: string): Promise<Outcome | "go"> {
  // fencing: a process slower than its lease must not start a send another process now owns
  const current = await lockOutboxJob(trx, job.id);
  if (!current || current.status !== "sending" || current.attempts !== job.attempts) return "superseded";
  const lead = await lockLeadForSend(trx, job.lead_id);
  if (!lead || lead.status !== "active" || (await isAddressSuppressed(trx, lead.email_lower))) {
    await markDone(trx, job, "skipped", now);
    return "skipped";
  }
  if (cap) {
    const windowMs = cap.days * 86_400_000;
    // sent in the window, or reserved by a delivery still in progress (or whose process died): it may have gone out
    const times = (await findCountedEmailTimes(trx, job.lead_id, job.id, new Date(now.getTime() - windowMs))).map((t) => t.getTime()).sort((a, b) => a - b);
    if (times.length >= cap.max) {
      const fitsAt = Math.max(times[times.length - cap.max]! + windowMs + 1000, now.getTime() + 1000);
      await deferOutboxJob(trx, job.id, new Date(fitsAt));
      return "deferred";
    }
  }
  await reserveOutboxJob(trx, job.id, now, messageId);
  return "go";
}
