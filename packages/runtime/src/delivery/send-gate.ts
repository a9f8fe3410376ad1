import { deferOutboxJob, findCountedEmailTimes, isAddressSuppressed, lockLeadForSend, lockOutboxJob, reserveOutboxJob } from "@leadflow/db";
import type { Transaction, DB } from "@leadflow/db";
import type { FrequencyCap } from "../settings/settings-store.js";
import { markDone, type Job } from "./outbox-claim.js";

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
