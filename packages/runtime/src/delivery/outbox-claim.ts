import { sql, type Selectable, type Transaction } from "kysely";
import type { DB, OutboxJobTable } from "@leadflow/db";
import type { RuntimeDeps } from "../deps.js";

export type Job = Selectable<OutboxJobTable>;

/** how long a claimed job is ours; a process that dies mid-send frees it after this */
const LEASE_MS = 5 * 60_000;

/**
 * Claims due outbox jobs (SKIP LOCKED: several processes never take the same job) for a lease;
 * a job whose process died is due again once the lease runs out.
 */
export async function claimJobs(deps: RuntimeDeps, now: Date, limit: number): Promise<Job[]> {
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

export async function markDone(db: Transaction<DB> | RuntimeDeps["db"], job: Job, status: "sent" | "skipped", now: Date, messageId?: string) {
  await db
    .updateTable("outbox_jobs")
    .set({ status, sent_at: status === "sent" ? now : null, message_id: messageId ?? null, last_error: null })
    .where("id", "=", job.id)
    .execute();
}
