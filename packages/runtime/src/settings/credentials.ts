import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { z } from "zod";
import type { Kysely } from "kysely";
import { findActiveApiKeyByHash, findUserIdByEmail, insertApiKey, insertFirstUser, insertUser, type DB } from "@leadflow/db";
import { Role } from "@leadflow/flow";
import { AppError, invalidInput } from "../errors.js";

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

/** API keys are 32 random bytes: a fast hash is enough (no dictionary to guess from). */
const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

export async function createApiKey(db: Kysely<DB>, name: string): Promise<{ id: string; name: string; key: string }> {
  const parsed = z.string().min(1).max(100).safeParse(name);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "API key name");
  const key = `lf_sk_${randomBytes(32).toString("base64url")}`;
  const id = randomUUID();
  await insertApiKey(db, { id, name, prefix: key.slice(0, 10), keyHash: hashKey(key) });
  return { id, name, key };
}

/** The key's id, or throws `unauthorized`. */
export async function verifyApiKey(db: Kysely<DB>, key: string | undefined): Promise<{ id: string; name: string }> {
  if (!key) throw new AppError("unauthorized", "an API key is required: Authorization: Bearer <key>");
  const row = await findActiveApiKeyByHash(db, hashKey(key));
  if (!row) throw new AppError("unauthorized", "the API key is not valid");
  return row;
}

const UserInput = z.object({
  email: z.email(),
  password: z.string().min(8, "password: at least 8 characters").max(200),
  role: Role,
});

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 64);
  return `scrypt$${salt.toString("base64")}$${hash.toString("base64")}`;
}

/**
 * A well-formed hash of a random password nobody knows. Checking a password against it costs
 * one scrypt, as checking a real user's does, so the answer's timing does not tell whether an
 * e-mail has an account.
 */
export const DUMMY_PASSWORD_HASH =
  "scrypt$DCUr0+L6MflqB/tkmDc0Xw==$o1DQGuMQMkBBWGNvANud+T0stLiTyaCPb5JKxk4s2/jxVJ4sWq4uwlaAHucbkWEYLHYcGJw06q0TMUvekveGFA==";

/** The hash a sign-in checks the password against: the user's, or the dummy when there is no such user. */
export const passwordHashFor = (user: { password_hash: string } | undefined): string => user?.password_hash ?? DUMMY_PASSWORD_HASH;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split("$");
  const wellFormed = scheme === "scrypt" && !!salt && !!hash;
  // a malformed stored hash still costs one scrypt, like every other answer
  const [, useSalt, useHash] = (wellFormed ? stored : DUMMY_PASSWORD_HASH).split("$");
  const expected = Buffer.from(useHash!, "base64");
  const actual = await scryptAsync(password, Buffer.from(useSalt!, "base64"), expected.length);
  return timingSafeEqual(actual, expected) && wellFormed;
}

/**
 * The one-time setup's first admin: created only while no user exists, even when two setups
 * race (the check and the insert are one locked step). Throws `forbidden` once setup is done.
 */
export async function createFirstAdmin(db: Kysely<DB>, input: unknown): Promise<{ id: string; email: string; role: Role }> {
  const parsed = UserInput.safeParse({ ...(input as object), role: "admin" });
  if (!parsed.success) throw invalidInput(parsed.error.issues, "user");
  const { email, password } = parsed.data;
  const id = randomUUID();
  const inserted = await insertFirstUser(db, { id, emailLower: email.toLowerCase(), passwordHash: await hashPassword(password), role: "admin" });
  if (!inserted) throw new AppError("forbidden", "setup is done: sign in instead");
  return { id, email: email.toLowerCase(), role: "admin" };
}

export async function createUser(db: Kysely<DB>, input: unknown): Promise<{ id: string; email: string; role: Role }> {
  const parsed = UserInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "user");
  const { email, password, role } = parsed.data;
  if (await findUserIdByEmail(db, email)) throw new AppError("conflict", `a user with e-mail ${email} already exists`);
  const id = randomUUID();
  await insertUser(db, { id, emailLower: email.toLowerCase(), passwordHash: await hashPassword(password), role });
  return { id, email: email.toLowerCase(), role };
}
