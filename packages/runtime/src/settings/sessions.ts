import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import {
  anyUserExists,
  deleteSession,
  deleteUserSessions,
  findLiveSession,
  findRepIdByEmail,
  findUserByEmail,
  insertSession,
  touchSession,
  type DB,
} from "@leadflow/db";
import { AppError } from "../errors.js";
import type { Role } from "@leadflow/flow";
import { passwordHashFor, verifyPassword } from "./credentials.js";
import { forgiveSignInAttempt, reserveSignInAttempt } from "./sign-in-throttle.js";

/** A session ends this long after sign-in, however busy. */
export const SESSION_DAYS = 14;
/** A session unused this long ends (a computer left signed in). */
export const SESSION_IDLE_HOURS = 12;
/** last_seen_at is written at most this often per session, not on every request. */
const TOUCH_EVERY_MS = 60_000;

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
  /** the sales rep with the same e-mail, for a sales user */
  repId: string | null;
}

export interface OpenedSession {
  token: string;
  expiresAt: Date;
  user: SessionUser;
}

export interface SignInRequest {
  email: string;
  password: string;
  /** the client's address (behind TRUST_PROXY, the proxy's client): failures are counted per address too */
  clientIp: string;
  /** the session cookie the request carried, if any: it is replaced, never reused */
  previousToken?: string;
}

/**
 * Checks the password and opens a new session; the token goes into the cookie, only its hash
 * is stored. Attempts are counted per account and per address before the check (see
 * sign-in-throttle.ts); an unknown e-mail costs the same scrypt as a known one.
 */
export async function signIn(db: Kysely<DB>, request: SignInRequest, now: Date): Promise<OpenedSession> {
  const email = request.email.toLowerCase();
  const reservation = await reserveSignInAttempt(db, { email, ip: request.clientIp }, now);
  const row = await findUserByEmail(db, email);
  const ok = await verifyPassword(request.password, passwordHashFor(row));
  // the same answer for an unknown e-mail and a wrong password
  if (!row || !ok) throw new AppError("unauthorized", "wrong e-mail or password");
  await forgiveSignInAttempt(db, reservation);
  return openSession(db, row, now, request.previousToken);
}

/** A fresh session for a user whose identity is already proven (sign-in, first-user setup). */
export async function openSession(
  db: Kysely<DB>,
  user: { id: string; email: string; role: string },
  now: Date,
  previousToken?: string,
): Promise<OpenedSession> {
  // a token planted in the browser before sign-in (session fixation) must not become the session
  if (previousToken) await deleteSession(db, hash(previousToken));
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await insertSession(db, { id: hash(token), userId: user.id, now, expiresAt });
  return { token, expiresAt, user: await sessionUser(db, user) };
}

async function sessionUser(db: Kysely<DB>, row: { id: string; email: string; role: string }): Promise<SessionUser> {
  return { id: row.id, email: row.email, role: row.role as Role, repId: (await findRepIdByEmail(db, row.email)) ?? null };
}

/** The session's user, or undefined when the token is unknown, expired or idle too long. */
export async function findSession(db: Kysely<DB>, token: string | undefined, now: Date): Promise<SessionUser | undefined> {
  if (!token) return undefined;
  const id = hash(token);
  const idleSince = new Date(now.getTime() - SESSION_IDLE_HOURS * 3_600_000);
  const session = await findLiveSession(db, id, now, idleSince);
  if (!session) return undefined;
  const staleBefore = new Date(now.getTime() - TOUCH_EVERY_MS);
  if (session.lastSeenAt < staleBefore) await touchSession(db, id, now, staleBefore);
  return sessionUser(db, { id: session.userId, email: session.email, role: session.role });
}

export async function signOut(db: Kysely<DB>, token: string | undefined): Promise<void> {
  if (token) await deleteSession(db, hash(token));
}

/** Ends every session of the user, on every device; returns how many ended. */
export async function signOutEverywhere(db: Kysely<DB>, userId: string): Promise<number> {
  return deleteUserSessions(db, userId);
}

/** Whether the one-time setup is done (a user exists). */
export const hasUsers = (db: Kysely<DB>): Promise<boolean> => anyUserExists(db);
