import { sql, type Kysely } from "kysely";
import type { DB } from "../tables.js";

export interface NewUser {
  id: string;
  emailLower: string;
  passwordHash: string;
  role: string;
}

/**
 * Inserts the user only while the users table is empty, atomically: two setups racing each
 * other serialize on a transaction-scoped advisory lock, so at most one first admin is made.
 * Returns whether the row was inserted.
 */
export async function insertFirstUser(db: Kysely<DB>, user: NewUser): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('leadflow:first-user'))`.execute(trx);
    if (await anyUserExists(trx)) return false;
    await insertUser(trx, user);
    return true;
  });
}

/** Inserts a user; the e-mail is stored lower-cased (the caller checks it is free, see findUserIdByEmail). */
export async function insertUser(db: Kysely<DB>, user: NewUser): Promise<void> {
  await db.insertInto("users").values({ id: user.id, email: user.emailLower, password_hash: user.passwordHash, role: user.role }).execute();
}

/** The id of the user with this e-mail in any case, or undefined. */
export async function findUserIdByEmail(db: Kysely<DB>, email: string): Promise<string | undefined> {
  const row = await db.selectFrom("users").select("id").where(sql`lower(email)`, "=", email.toLowerCase()).executeTakeFirst();
  return row?.id;
}

/** Whether any user exists (none before the one-time setup). */
export async function anyUserExists(db: Kysely<DB>): Promise<boolean> {
  return (await db.selectFrom("users").select("id").limit(1).executeTakeFirst()) !== undefined;
}

/** The user with this (lower-cased) e-mail, with the hash a sign-in checks. */
export async function findUserByEmail(db: Kysely<DB>, emailLower: string) {
  return db.selectFrom("users").select(["id", "email", "role", "password_hash"]).where("email", "=", emailLower).executeTakeFirst();
}
