import type { Kysely } from "kysely";
import type { DB } from "../tables.js";

/** The columns a reader of a lead's ledger sees (the why behind its engagement points). */
const LEDGER_VIEW_COLUMNS = ["delta", "category", "flow_id", "node_id", "event_id", "at", "processed_at", "reason"] as const;

/**
 * The newest `limit` ledger rows of a lead, newest first (by the time the points count from,
 * then by insertion). A long-lived lead has more rows than any reader shows: the newest are
 * the ones that explain its score now.
 */
export async function latestLedgerRows(db: Kysely<DB>, leadId: string, limit: number) {
  return db
    .selectFrom("score_ledger")
    .select(LEDGER_VIEW_COLUMNS)
    .where("lead_id", "=", leadId)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
