import { UUID_PATTERN } from "@leadflow/flow";
import type { Kysely } from "kysely";
import type { DB } from "../tables.js";

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
