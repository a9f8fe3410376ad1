import { createHash, randomBytes } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import { AppError } from "./errors.js";
import { verifyPassword, type Role } from "./credentials.js";

export const SESSION_DAYS = 14;
const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
  /** the sales rep with the same e-mail, for a sales user */
  repId: string | null;
}

/** Checks the password and opens a session; the token goes into the cookie, only its hash is stored. */
export async function signIn(db: Kysely<DB>, email: string, password: string, now: Date): Promise<{ token: string; expiresAt: Date; user: SessionUser }> {
  const row = await db.selectFrom("users").selectAll().where("email", "=", email.toLowerCase()).executeTakeFirst();
  // the same answer for an unknown e-mail and a wrong password
  if (!row || !(await verifyPassword(password, row.password_hash))) throw new AppError("unauthorized", "wrong e-mail or password");
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await db.insertInto("sessions").values({ id: hash(token), user_id: row.id, created_at: now, expires_at: expiresAt }).execute();
  return { token, expiresAt, user: await sessionUser(db, row) };
}

async function sessionUser(db: Kysely<DB>, row: { id: string; email: string; role: string }): Promise<SessionUser> {
  const rep = await db.selectFrom("sales_reps").select("id").where(sql`lower(email)`, "=", row.email.toLowerCase()).executeTakeFirst();
  return { id: row.id, email: row.email, role: row.role as Role, repId: rep?.id ?? null };
}

export async function findSession(db: Kysely<DB>, token: string | undefined, now: Date): Promise<SessionUser | undefined> {
  if (!token) return undefined;
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["users.id", "users.email", "users.role"])
    .where("sessions.id", "=", hash(token))
    .where("sessions.expires_at", ">", now)
    .executeTakeFirst();
  return row ? sessionUser(db, row) : undefined;
}

export async function signOut(db: Kysely<DB>, token: string | undefined): Promise<void> {
  if (token) await db.deleteFrom("sessions").where("id", "=", hash(token)).execute();
}

export async function hasUsers(db: Kysely<DB>): Promise<boolean> {
  return (await db.selectFrom("users").select("id").limit(1).executeTakeFirst()) !== undefined;
}
