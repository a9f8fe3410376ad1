import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Kysely } from "kysely";
import { findWebhookSecret, insertWebhookSecretIfAbsent, replaceWebhookSecret, type DB } from "@leadflow/db";

/** The Standard Webhooks form of a symmetric key: `whsec_` + base64 of 32 random bytes. */
const StoredSecret = z.object({ secret: z.string().regex(/^whsec_[A-Za-z0-9+/]+=*$/), createdAt: z.string() });
type StoredSecret = z.infer<typeof StoredSecret>;

export interface WebhookSecretStatus {
  exists: boolean;
  createdAt: string | null;
}

const fresh = (now: Date): StoredSecret => ({ secret: `whsec_${randomBytes(32).toString("base64")}`, createdAt: now.toISOString() });

/**
 * The secret every webhook of the workspace is signed with. Made on first need, so sending never
 * waits for someone to create one; the marketer sees a secret only when rotating (it is shown once).
 */
export async function webhookSigningSecret(db: Kysely<DB>, now: Date): Promise<string> {
  const stored = StoredSecret.safeParse(await findWebhookSecret(db));
  if (stored.success) return stored.data.secret;
  const inForce = StoredSecret.safeParse(await insertWebhookSecretIfAbsent(db, fresh(now)));
  if (inForce.success) return inForce.data.secret;
  // a damaged row: replace it rather than sign with something a receiver could never verify
  const replacement = fresh(now);
  await replaceWebhookSecret(db, replacement);
  return replacement.secret;
}

/** Whether a secret exists and since when; never the secret itself. */
export async function webhookSecretStatus(db: Kysely<DB>): Promise<WebhookSecretStatus> {
  const stored = StoredSecret.safeParse(await findWebhookSecret(db));
  return stored.success ? { exists: true, createdAt: stored.data.createdAt } : { exists: false, createdAt: null };
}

/** A new secret replaces the old one at once (receivers must switch); the only time a secret is returned. */
export async function rotateWebhookSecret(db: Kysely<DB>, now: Date): Promise<{ secret: string; createdAt: string }> {
  const next = fresh(now);
  await replaceWebhookSecret(db, next);
  return next;
}
