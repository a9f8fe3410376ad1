import type { Transaction } from "kysely";
import type { DB } from "@leadflow/db";
import type { FrequencyCap } from "./email-settings.js";
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
