import type { Kysely } from "kysely";
import type { DB } from "../tables.js";

/** Stores a new API key by its hash (the key itself is shown once and never stored). */
export async function insertApiKey(db: Kysely<DB>, key: { id: string; name: string; prefix: string; keyHash: string }): Promise<void> {
  await db.insertInto("api_keys").values({ id: key.id, name: key.name, prefix: key.prefix, key_hash: key.keyHash }).execute();
}

/** The key with this hash unless it is revoked, or undefined. */
export async function findActiveApiKeyByHash(db: Kysely<DB>, keyHash: string): Promise<{ id: string; name: string } | undefined> {
  return db.selectFrom("api_keys").select(["id", "name"]).where("key_hash", "=", keyHash).where("revoked_at", "is", null).executeTakeFirst();
}
