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
    const any = await trx.selectFrom("users").select("id").limit(1).executeTakeFirst();
    if (any) return false;
    await trx.insertInto("users").values({ id: user.id, email: user.emailLower, password_hash: user.passwordHash, role: user.role }).execute();
    return true;
  });
}
