import { sql, type Kysely } from "kysely";
import type { DB } from "../tables.js";

/**
 * Workspace settings: one JSON value per key. What each key holds (its schema and default) is
 * declared once in runtime's settings store; this file only reads and writes the rows.
 */

/** The stored values of these keys, in one query; a key never set is absent from the map. */
export async function findSettings(db: Kysely<DB>, keys: readonly string[]): Promise<Map<string, unknown>> {
  const values = new Map<string, unknown>();
  if (keys.length === 0) return values;
  const rows = await db.selectFrom("settings").select(["key", "value"]).where("key", "in", [...new Set(keys)]).execute();
  for (const row of rows) values.set(row.key, row.value);
  return values;
}

/**
 * When a write happens: `always` (the last write wins), `absent` (only while the key was never
 * set: the first writer wins), or `current` (only while the key still holds `value`: a
 * compare-and-set, for a value read without a lock).
 */
export type SettingCondition = { when: "always" } | { when: "absent" } | { when: "current"; value: unknown };

/** Writes the key's value if the condition holds; returns whether it wrote. */
export async function writeSetting(
  db: Kysely<DB>,
  key: string,
  value: unknown,
  condition: SettingCondition = { when: "always" },
): Promise<boolean> {
  const json = JSON.stringify(value);
  if (condition.when === "current") {
    const r = await db
      .updateTable("settings")
      .set({ value: json, updated_at: sql`now()` })
      .where("key", "=", key)
      .where(sql`value`, "=", sql`${JSON.stringify(condition.value)}::jsonb`)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  const r = await db
    .insertInto("settings")
    .values({ key, value: json })
    .onConflict((oc) => (condition.when === "absent" ? oc.column("key").doNothing() : oc.column("key").doUpdateSet({ value: json, updated_at: sql`now()` })))
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}
