import { randomBytes } from "node:crypto";
import { z } from "zod";
import { sql, type Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import type { RuntimeDeps } from "../deps.js";
import { invalidInput } from "../errors.js";

const SECRET_KEY = "signing_secret";
const CAP_KEY = "frequency_cap";

export const DEFAULT_FREQUENCY_CAP = { max: 3, days: 7 } as const;

/** At most `max` marketing e-mails a lead in any `days`-day window; null = no cap. */
export const FrequencyCap = z
  .object({
    max: z.number().int("max must be a whole number").min(1, "max must be at least 1").max(1000),
    days: z.number().positive("days must be positive").max(365),
  })
  .nullable();
export type FrequencyCap = z.infer<typeof FrequencyCap>;

// One per database handle: every process derives the same key from the shared settings row.
const keys = new WeakMap<Kysely<DB>, Promise<Buffer>>();

/**
 * The HMAC key of tracking and unsubscribe tokens: the configured secret, or one generated on
 * first use and kept in settings, so every process sharing the database signs alike.
 */
export function signingKey(deps: RuntimeDeps): Promise<Buffer> {
  if (deps.config.secret) return Promise.resolve(Buffer.from(deps.config.secret, "utf8"));
  let key = keys.get(deps.db);
  if (!key) {
    key = loadOrCreateSecret(deps.db).then((s) => Buffer.from(s, "utf8"));
    key.catch(() => keys.delete(deps.db));
    keys.set(deps.db, key);
  }
  return key;
}

async function loadOrCreateSecret(db: Kysely<DB>): Promise<string> {
  // the first process to insert wins; everyone then reads the winner's
  await db
    .insertInto("settings")
    .values({ key: SECRET_KEY, value: JSON.stringify(randomBytes(32).toString("base64url")) })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await db.selectFrom("settings").select("value").where("key", "=", SECRET_KEY).executeTakeFirstOrThrow();
  return String(row.value);
}

/** The cap in force: the one saved in settings, else the configured one, else 3 in 7 days. */
export async function loadFrequencyCap(deps: RuntimeDeps): Promise<FrequencyCap> {
  const row = await deps.db.selectFrom("settings").select("value").where("key", "=", CAP_KEY).executeTakeFirst();
  if (row) {
    const saved = FrequencyCap.safeParse(row.value);
    if (saved.success) return saved.data;
  }
  return deps.config.frequencyCap === undefined ? { ...DEFAULT_FREQUENCY_CAP } : deps.config.frequencyCap;
}

/** Saves the workspace's cap (`null` turns it off); it overrides the environment's. */
export async function saveFrequencyCap(db: Kysely<DB>, input: unknown): Promise<FrequencyCap> {
  const parsed = FrequencyCap.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "frequency cap");
  const value = JSON.stringify(parsed.data);
  await db
    .insertInto("settings")
    .values({ key: CAP_KEY, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: sql`now()` }))
    .execute();
  return parsed.data;
}
