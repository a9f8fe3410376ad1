import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import { readSetting, saveSetting, Settings, type StoredWebhookSecret } from "../settings/settings-store.js";

export interface WebhookSecretStatus {
  exists: boolean;
  createdAt: string | null;
}

const fresh = (now: Date): StoredWebhookSecret => ({ secret: `whsec_${randomBytes(32).toString("base64")}`, createdAt: now.toISOString() });

/**
 * The secret every webhook of the workspace is signed with. Made on first need, so sending never
 * waits for someone to create one; the marketer sees a secret only when rotating (it is shown once).
 */
export async function webhookSigningSecret(db: Kysely<DB>, now: Date): Promise<string> {
  const stored = await readSetting(db, Settings.webhookSecret);
  if (stored) return stored.secret;
  // the first process to insert wins; everyone then reads the winner's
  await saveSetting(db, Settings.webhookSecret, fresh(now), { when: "absent" });
  const inForce = await readSetting(db, Settings.webhookSecret);
  if (inForce) return inForce.secret;
  // a damaged row: replace it rather than sign with something a receiver could never verify
  return (await saveSetting(db, Settings.webhookSecret, fresh(now))).secret;
}

/** Whether a secret exists and since when; never the secret itself. */
export async function webhookSecretStatus(db: Kysely<DB>): Promise<WebhookSecretStatus> {
  const stored = await readSetting(db, Settings.webhookSecret);
  return stored ? { exists: true, createdAt: stored.createdAt } : { exists: false, createdAt: null };
}

/** A new secret replaces the old one at once (receivers must switch); the only time a secret is returned. */
export async function rotateWebhookSecret(db: Kysely<DB>, now: Date): Promise<{ secret: string; createdAt: string }> {
  return saveSetting(db, Settings.webhookSecret, fresh(now));
}
