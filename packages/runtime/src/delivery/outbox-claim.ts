import { claimOutboxJobs, markOutboxJobDone, type Kysely, type DB, type OutboxJob } from "@leadflow/db";

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
