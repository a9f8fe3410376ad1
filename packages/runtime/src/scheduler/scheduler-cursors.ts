import type { Kysely, Transaction } from "kysely";
import type { DB } from "@leadflow/db";
import { withRetry } from "../retry.js";

/**
 * Takes a pass's cursor row for this transaction, creating it with `initial` the first time.
 * FOR UPDATE SKIP LOCKED: while one process works on a pass, the others skip it rather than
 * wait, and the cursor moves only with the work it describes (same transaction).
 * Returns undefined when another process holds it.
 */
export async function lockCursor<T extends Record<string, unknown>>(trx: Transaction<DB>, key: string, initial: T): Promise<T | undefined> {
  await trx
    .insertInto("scheduler_cursors")
    .values({ key, value: JSON.stringify(initial) })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await trx.selectFrom("scheduler_cursors").select("value").where("key", "=", key).forUpdate().skipLocked().executeTakeFirst();
  return row?.value as T | undefined;
}

export async function saveCursor(trx: Transaction<DB>, key: string, value: Record<string, unknown>, now: Date): Promise<void> {
  await trx.updateTable("scheduler_cursors").set({ value: JSON.stringify(value), updated_at: now }).where("key", "=", key).execute();
}

export const FIRST_ID = "00000000-0000-0000-0000-000000000000";

/**
 * One trigger's pass: a transaction per chunk of leads (retried when it loses a race) until a
 * chunk comes back short or `maxChunks` ran; adds what each chunk did to `report`.
 */
export async function passInChunks(
  db: Kysely<DB>,
  report: { leads: number; runs: number },
  chunk: number,
  maxChunks: number,
  runChunk: (trx: Transaction<DB>) => Promise<{ leads: number; runs: number }>,
): Promise<void> {
  for (let i = 0; i < maxChunks; i++) {
    const r = await withRetry(() => db.transaction().execute(runChunk));
    report.leads += r.leads;
    report.runs += r.runs;
    if (r.leads < chunk) return;
  }
}
