import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import type { RuntimeDeps } from "../deps.js";
import { readSetting, saveSetting, Settings, type FrequencyCap } from "../settings/settings-store.js";

export const DEFAULT_FREQUENCY_CAP = { max: 3, days: 7 } as const;

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
  await saveSetting(db, Settings.signingSecret, randomBytes(32).toString("base64url"), { when: "absent" });
  const secret = await readSetting(db, Settings.signingSecret);
  if (secret === undefined) throw new Error("the signing_secret setting holds something other than a string");
  return secret;
}

/** The cap in force: the one saved in settings, else the configured one, else 3 in 7 days. */
export async function loadFrequencyCap(deps: RuntimeDeps): Promise<FrequencyCap> {
  const saved = await readSetting(deps.db, Settings.frequencyCap);
  if (saved !== undefined) return saved;
  return deps.config.frequencyCap === undefined ? { ...DEFAULT_FREQUENCY_CAP } : deps.config.frequencyCap;
}

/** Saves the workspace's cap (`null` turns it off); it overrides the environment's. Throws `invalid_input`. */
export const saveFrequencyCap = (db: Kysely<DB>, input: unknown): Promise<FrequencyCap> => saveSetting(db, Settings.frequencyCap, input);
