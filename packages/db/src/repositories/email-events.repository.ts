import type { Kysely, Transaction } from "kysely";
import type { DB } from "../tables.js";

/**
 * What e-mail does to a lead outside the event log: suppression (unsubscribes and hard bounces,
 * kept by address, see migration 0004_email) and the lead's status that follows it.
 */

/** Locks a lead's row for a send and reads what decides it: the lead's status and address. */
export async function lockLeadForSend(trx: Transaction<DB>, leadId: string): Promise<{ status: string; email_lower: string } | undefined> {
  return trx.selectFrom("leads").select(["status", "email_lower"]).where("id", "=", leadId).forUpdate().executeTakeFirst();
}

/** Whether an address (lower case) is on the suppression list. */
export async function isAddressSuppressed(db: Kysely<DB>, emailLower: string): Promise<boolean> {
  const row = await db.selectFrom("email_suppressions").select("reason").where("email_lower", "=", emailLower).executeTakeFirst();
  return row !== undefined;
}

/** A lead's id and address, for the unsubscribe page. */
export async function findLeadAddress(db: Kysely<DB>, leadId: string): Promise<{ id: string; email: string; email_lower: string } | undefined> {
  return db.selectFrom("leads").select(["id", "email", "email_lower"]).where("id", "=", leadId).executeTakeFirst();
}

/**
 * Puts a lead's address on the suppression list (an existing entry stays as it is) and marks
 * an active lead `unsubscribed`, together: nothing is mailed to it from then on.
 */
export async function suppressUnsubscribed(db: Kysely<DB>, lead: { id: string; email_lower: string }, now: Date): Promise<void> {
  const write = async (trx: Kysely<DB>) => {
    await trx
      .insertInto("email_suppressions")
      .values({ email_lower: lead.email_lower, reason: "unsubscribe", lead_id: lead.id, created_at: now })
      .onConflict((oc) => oc.column("email_lower").doNothing())
      .execute();
    await trx.updateTable("leads").set({ status: "unsubscribed" }).where("id", "=", lead.id).where("status", "=", "active").execute();
  };
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
}
