import { UUID_PATTERN } from "@leadflow/flow";
import { sql, type Kysely } from "kysely";
import type { DB } from "../tables.js";

const SECRET_KEY = "webhook_secret";

/** What a webhook tells about a lead: its row with the owner's name and e-mail. */
export async function findWebhookLead(db: Kysely<DB>, leadId: string) {
  if (!UUID_PATTERN.test(leadId)) return undefined;
  return db
    .selectFrom("leads as l")
    .leftJoin("sales_reps as r", "r.id", "l.owner_id")
    .select([
      "l.id", "l.email", "l.properties", "l.stage", "l.status", "l.fit", "l.engagement", "l.total", "l.categories", "l.tier",
      "r.id as owner_id", "r.name as owner_name", "r.email as owner_email",
    ])
    .where("l.id", "=", leadId)
    .executeTakeFirst();
}

/** The event that started a run, scoped by its lead like every per-lead query. */
export async function findWebhookEvent(db: Kysely<DB>, leadId: string, eventId: string) {
  if (!UUID_PATTERN.test(eventId) || !UUID_PATTERN.test(leadId)) return undefined;
  return db
    .selectFrom("events")
    .select(["id", "idempotency_key", "type", "properties", "occurred_at"])
    .where("id", "=", eventId)
    // a visitor's anonymous event keeps lead_id NULL; it is the lead's through identities
    .where((eb) =>
      eb.or([
        eb("lead_id", "=", leadId),
        eb.and([eb("lead_id", "is", null), eb("anonymous_id", "in", eb.selectFrom("identities").select("anonymous_id").where("lead_id", "=", leadId))]),
      ]),
    )
    .executeTakeFirst();
}

/** The workspace's webhook signing secret as stored (`{ secret, createdAt }`), or undefined before the first. */
export async function findWebhookSecret(db: Kysely<DB>): Promise<unknown> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", SECRET_KEY).executeTakeFirst();
  return row?.value;
}

/** Stores a first secret unless one exists (the first process to insert wins); returns the one in force. */
export async function insertWebhookSecretIfAbsent(db: Kysely<DB>, value: unknown): Promise<unknown> {
  await db
    .insertInto("settings")
    .values({ key: SECRET_KEY, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  return findWebhookSecret(db);
}

/** Replaces the secret (rotation): from now on every webhook is signed with this one. */
export async function replaceWebhookSecret(db: Kysely<DB>, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto("settings")
    .values({ key: SECRET_KEY, value: json })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: json, updated_at: sql`now()` }))
    .execute();
}
