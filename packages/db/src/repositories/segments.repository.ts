import { sql, type Selectable, type Transaction } from "kysely";
import type { DB, LeadTable } from "../tables.js";

/**
 * The lead scans of the scheduler's passes (trigger.segment, trigger.inactive, timers, a full
 * rescore): whole lead rows, locked FOR UPDATE for the transaction that writes what the engine
 * made of them. Always in id order (or quiet-since, id), as ingestion locks leads, so the
 * passes and ingestion never deadlock.
 */

export type LeadRow = Selectable<LeadTable>;

/** The next `limit` leads after `afterId` in id order: a pass over every lead behind a cursor. */
export async function lockLeadsAfter(trx: Transaction<DB>, afterId: string, limit: number): Promise<LeadRow[]> {
  return trx.selectFrom("leads").selectAll().where("id", ">", afterId).orderBy("id").limit(limit).forUpdate().execute();
}

/** These leads (those that exist), in id order. */
export async function lockLeadsById(trx: Transaction<DB>, ids: readonly string[]): Promise<LeadRow[]> {
  if (ids.length === 0) return [];
  return trx.selectFrom("leads").selectAll().where("id", "in", ids).orderBy("id").forUpdate().execute();
}

/** A lead with the instant its quiet spell began: its last engagement event's time, or its creation. */
export type QuietLeadRow = LeadRow & {
  /** full precision, as PostgreSQL prints it: what a cursor keeps (a Date would lose the microseconds) */
  quiet_since: string;
  quiet_since_at: Date | string;
};

/**
 * The next `limit` leads quiet since at or before `cut`, in (quiet-since, id) order after the
 * cursor `after` (`since` as quiet_since prints it, or '-infinity'; `id` the last lead seen).
 */
export async function lockQuietLeads(
  trx: Transaction<DB>,
  cut: Date,
  after: { since: string; id: string },
  limit: number,
): Promise<QuietLeadRow[]> {
  const { rows } = await sql<QuietLeadRow>`
    SELECT *, coalesce(last_activity_at, created_at)::text AS quiet_since, coalesce(last_activity_at, created_at) AS quiet_since_at
    FROM leads
    WHERE coalesce(last_activity_at, created_at) <= ${cut}
      AND (coalesce(last_activity_at, created_at), id) > (${after.since}::timestamptz, ${after.id}::uuid)
    ORDER BY coalesce(last_activity_at, created_at), id
    LIMIT ${limit}
    FOR UPDATE`.execute(trx);
  return rows;
}
