import { sql, type Kysely } from "kysely";
import type { DB } from "../tables.js";

/** A workspace setting's stored value, or undefined when never set. */
export async function findSetting(db: Kysely<DB>, key: string): Promise<unknown> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

/** Sets a workspace setting (the last write wins). */
export async function saveSetting(db: Kysely<DB>, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto("settings")
    .values({ key, value: json })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: json, updated_at: sql`now()` }))
    .execute();
}
