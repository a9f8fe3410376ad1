import type { Kysely, Transaction } from "kysely";
import type { DB } from "../tables.js";

/** Timers: a run paused at a wait node, due to continue at `due_at`. */

/**
 * Claims up to `limit` pending timers due by `now`, earliest first, FOR UPDATE SKIP LOCKED:
 * processes claiming at once take disjoint sets, and a timer stays claimed until the
 * transaction ends (so call it in the transaction that also marks them done).
 */
export async function claimDueTimers(trx: Transaction<DB>, now: Date, limit: number) {
  return trx
    .selectFrom("timers")
    .selectAll()
    .where("status", "=", "pending")
    .where("due_at", "<=", now)
    .orderBy("due_at")
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markTimersDone(db: Kysely<DB>, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable("timers").set({ status: "done", fired_at: now }).where("id", "in", ids).execute();
}
