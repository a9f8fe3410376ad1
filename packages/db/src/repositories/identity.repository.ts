import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../tables.js";

/**
 * Takes the visitor keys' transaction locks, in one order (no deadlock between batches), so
 * that a batch storing a key's anonymous event and one mapping that key run one after the
 * other: otherwise an event committed between the mapping and its merge would belong to nobody.
 */
export async function lockVisitorKeys(trx: Transaction<DB>, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const sorted = [...new Set(keys)].sort();
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(k, 11)) FROM unnest(${sorted}::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n`.execute(trx);
}

/** The leads the given anonymous ids are mapped to (ids not mapped are absent). */
export async function findIdentities(db: Kysely<DB>, anonymousIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (anonymousIds.length === 0) return out;
  const rows = await db.selectFrom("identities").select(["anonymous_id", "lead_id"]).where("anonymous_id", "in", [...anonymousIds]).execute();
  for (const r of rows) out.set(r.anonymous_id, r.lead_id);
  return out;
}

/**
 * Maps anonymous ids to a lead, each once: an id already mapped (to this lead or another) keeps
 * its mapping. Returns the ids this call mapped, whose earlier events are the lead's to score
 * now; a second identify of the same visitor maps nothing, so nothing is scored twice.
 */
export async function insertIdentities(db: Kysely<DB>, leadId: string, anonymousIds: readonly string[], at: Date): Promise<string[]> {
  if (anonymousIds.length === 0) return [];
  const rows = await db
    .insertInto("identities")
    .values([...anonymousIds].sort().map((anonymous_id) => ({ anonymous_id, lead_id: leadId, created_at: at })))
    .onConflict((oc) => oc.column("anonymous_id").doNothing())
    .returning("anonymous_id")
    .execute();
  return rows.map((r) => r.anonymous_id);
}

/** The anonymous events of these visitor ids (stored before they were known), oldest first. */
export async function findAnonymousEvents(db: Kysely<DB>, anonymousIds: readonly string[]) {
  if (anonymousIds.length === 0) return [];
  return db
    .selectFrom("events")
    .select(["id", "type", "properties", "occurred_at"])
    .where("anonymous_id", "in", [...anonymousIds])
    .where("lead_id", "is", null)
    .orderBy("occurred_at")
    .orderBy("received_at")
    .execute();
}

/**
 * A lead's events, newest first: those stored with its id and the anonymous ones of the
 * visitor ids mapped to it (events are never rewritten when a visitor is identified).
 */
export async function findLeadEvents(db: Kysely<DB>, leadId: string, limit: number) {
  return db
    .selectFrom("events")
    .select(["id", "type", "properties", "occurred_at"])
    .where((eb) =>
      eb.or([
        eb("lead_id", "=", leadId),
        eb.and([
          eb("lead_id", "is", null),
          eb("anonymous_id", "in", eb.selectFrom("identities").select("anonymous_id").where("lead_id", "=", leadId)),
        ]),
      ]),
    )
    .orderBy("occurred_at", "desc")
    .limit(limit)
    .execute();
}
