import { sql, type Transaction } from "kysely";
import type { DB } from "../tables.js";

/** Timers: a run paused at a wait node, due to continue at `due_at`. */

/**
 * Claims up to `limit` pending timers due by `now` and marks them done, in one statement that also
 * reads what each paused run needs to continue (its trigger node and the event that started it).
 * FOR UPDATE SKIP LOCKED: processes claiming at once take disjoint sets; the rows stay locked, and
 * `done` uncommitted, until the caller's transaction ends, so call it in the transaction that writes
 * what the resumed runs did (a rollback leaves them pending: each timer fires exactly once).
 */
export async function takeDueTimers(trx: Transaction<DB>, now: Date, limit: number) {
  const { rows } = await sql<{
    id: string; lead_id: string; run_id: string; flow_id: string; flow_version: number; node_id: string; due_at: Date | string;
    trigger_node_id: string | null; event_id: string | null; type: string | null; properties: Record<string, unknown> | null; occurred_at: Date | string | null;
  }>`
    WITH t AS (
      UPDATE timers SET status = 'done', fired_at = ${now}::timestamptz
      WHERE id IN (SELECT id FROM timers WHERE status = 'pending' AND due_at <= ${now}::timestamptz ORDER BY due_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id, lead_id, run_id, flow_id, flow_version, node_id, due_at)
    SELECT t.*, r.trigger_node_id, e.id AS event_id, e.type, e.properties, e.occurred_at
    FROM t LEFT JOIN flow_runs r ON r.id = t.run_id LEFT JOIN events e ON e.id = r.event_id
    ORDER BY t.lead_id, t.due_at`.execute(trx);
  return rows;
}
