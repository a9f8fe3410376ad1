import { UUID_PATTERN } from "@leadflow/flow";
import { sql, type Kysely } from "kysely";
import type { DB } from "../tables.js";


export interface SiteKeyRow {
  id: string;
  name: string;
  prefix: string;
  origins: string[];
  created_at: Date;
  revoked_at: Date | null;
}

export async function insertSiteKey(
  db: Kysely<DB>,
  key: { id: string; name: string; prefix: string; keyHash: string; origins: string[] },
): Promise<void> {
  await db
    .insertInto("site_keys")
    .values({ id: key.id, name: key.name, prefix: key.prefix, key_hash: key.keyHash, origins: JSON.stringify(key.origins) })
    .execute();
}

/** An active (not revoked) key by its hash, or undefined. */
export async function findActiveSiteKeyByHash(db: Kysely<DB>, keyHash: string) {
  return db
    .selectFrom("site_keys")
    .select(["id", "name", "origins"])
    .where("key_hash", "=", keyHash)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
}

/** Every key, revoked ones included (the list says which), newest first. */
export async function listSiteKeys(db: Kysely<DB>): Promise<SiteKeyRow[]> {
  return db
    .selectFrom("site_keys")
    .select(["id", "name", "prefix", "origins", "created_at", "revoked_at"])
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
}

/** Revokes a key; true when a key with that id exists (revoking twice is not an error). */
export async function revokeSiteKey(db: Kysely<DB>, id: string): Promise<boolean> {
  if (!UUID_PATTERN.test(id)) return false;
  const row = await db
    .updateTable("site_keys")
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where("id", "=", id)
    .returning("id")
    .executeTakeFirst();
  return !!row;
}
