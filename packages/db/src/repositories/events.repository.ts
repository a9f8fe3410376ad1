import { sql, type Kysely } from "kysely";
import type { DB } from "../tables.js";
import { insertRecords, type RecordColumns, type RecordOf } from "../recordset.js";

const EVENT_COLUMNS = {
  id: "uuid", idempotency_key: "text", lead_id: "uuid", anonymous_id: "text", type: "text", properties: "jsonb", occurred_at: "timestamptz",
} as const satisfies RecordColumns<"events">;
export type EventRecord = RecordOf<"events", typeof EVENT_COLUMNS>;

/**
 * Inserts events in one statement; returns the ids of those stored (not duplicates of an
 * idempotency key). Rows go in idempotency-key order: a batch waiting on a key another
 * uncommitted batch inserted holds only smaller keys, so two batches sharing keys cannot deadlock.
 */
export async function insertEvents(db: Kysely<DB>, events: readonly EventRecord[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const tail = sql`ON CONFLICT (${sql.id("idempotency_key")}) DO NOTHING RETURNING ${sql.id("id")}`;
  const r = await insertRecords("events", EVENT_COLUMNS, events, { orderBy: "idempotency_key", tail }).execute(db);
  return new Set((r.rows as { id: string }[]).map((row) => row.id));
}
