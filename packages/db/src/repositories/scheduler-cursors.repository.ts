import type { Kysely, Transaction } from "kysely";
import type { DB } from "../tables.js";

/** Where a scheduler pass that spans ticks has got to (a JSON value per pass key). */

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

export async function saveCursor(db: Kysely<DB>, key: string, value: Record<string, unknown>, now: Date): Promise<void> {
  await db.updateTable("scheduler_cursors").set({ value: JSON.stringify(value), updated_at: now }).where("key", "=", key).execute();
}
