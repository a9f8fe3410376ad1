import type { Kysely } from "kysely";
import type { DB } from "../tables.js";

/** A session row joined with its user: what a request needs to know who is asking. */
export interface LiveSession {
  userId: string;
  email: string;
  role: string;
  lastSeenAt: Date;
}

export async function insertSession(db: Kysely<DB>, session: { id: string; userId: string; now: Date; expiresAt: Date }): Promise<void> {
  await db
    .insertInto("sessions")
    .values({ id: session.id, user_id: session.userId, created_at: session.now, last_seen_at: session.now, expires_at: session.expiresAt })
    .execute();
}

/** The session if it has neither expired nor been idle since before `idleSince`. */
export async function findLiveSession(db: Kysely<DB>, id: string, now: Date, idleSince: Date): Promise<LiveSession | undefined> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["users.id", "users.email", "users.role", "sessions.last_seen_at"])
    .where("sessions.id", "=", id)
    .where("sessions.expires_at", ">", now)
    .where("sessions.last_seen_at", ">", idleSince)
    .executeTakeFirst();
  return row ? { userId: row.id, email: row.email, role: row.role, lastSeenAt: new Date(row.last_seen_at) } : undefined;
}

/** Marks the session used now, unless another request already did so after `staleBefore`. */
export async function touchSession(db: Kysely<DB>, id: string, now: Date, staleBefore: Date): Promise<void> {
  await db.updateTable("sessions").set({ last_seen_at: now }).where("id", "=", id).where("last_seen_at", "<", staleBefore).execute();
}

export async function deleteSession(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}

/** Ends every session of the user; returns how many there were. */
export async function deleteUserSessions(db: Kysely<DB>, userId: string): Promise<number> {
  const result = await db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
