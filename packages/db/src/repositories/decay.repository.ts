import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from "kysely";
import { chunks, insertRecords, type RecordColumns, type RecordOf } from "../recordset.js";
import type { DB, LeadTable } from "../tables.js";

/**
 * The decay pass's reads and writes: which leads are due, the ledger entries their decay
 * depends on, and the decay and expiry entries it writes. Leads are claimed FOR UPDATE SKIP
 * LOCKED: a lead an ingestion batch holds is left for the next chunk, and several processes
 * never decay the same lead at once.
 */

/** Leads whose decay was last brought up to date at or before `decayedBefore`, longest-waiting first. */
export async function claimLeadsDueForDecay(trx: Transaction<DB>, decayedBefore: Date, limit: number): Promise<Selectable<LeadTable>[]> {
  return trx
    .selectFrom("leads")
    .selectAll()
    .where("decayed_at", "<=", decayedBefore)
    .orderBy("decayed_at")
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Leads (up to `limit`) with a ledger entry whose own expiry has come by `now` and that is not yet taken back. */
export async function claimLeadsWithExpiringEntries(trx: Transaction<DB>, now: Date, limit: number): Promise<Selectable<LeadTable>[]> {
  const ids = await trx
    .selectFrom("score_ledger")
    .select("lead_id")
    .distinct()
    .where("expires_at", "is not", null)
    .where("expired_at", "is", null)
    .where("expires_at", "<=", now)
    .limit(limit)
    .execute();
  if (ids.length === 0) return [];
  return trx
    .selectFrom("leads")
    .selectAll()
    .where("id", "in", ids.map((r) => r.lead_id))
    .orderBy("id")
    .forUpdate()
    .skipLocked()
    .execute();
}

/**
 * Flow entries written since each lead's last decay (written, not happened: a late entry's
 * `at` may be long before decayed_at), not taken back.
 */
export async function listFreshFlowEntries(db: Kysely<DB>, leadIds: readonly string[]) {
  if (leadIds.length === 0) return [];
  return db
    .selectFrom("score_ledger as e")
    .innerJoin("leads as l", "l.id", "e.lead_id")
    .select(["e.id", "e.lead_id", "e.delta", "e.category", "e.at", "e.processed_at", "e.expires_at"])
    .where("e.lead_id", "in", leadIds)
    .where("e.reason", "=", "flow")
    .where("e.expired_at", "is", null)
    .whereRef("e.processed_at", ">", "l.decayed_at")
    .execute();
}

/**
 * Flow entries not yet taken back whose own expiry has come by `now`, and, with `heldSince`
 * (an `expire` policy), also those that count from at or before it.
 */
export async function listExpiringFlowEntries(db: Kysely<DB>, leadIds: readonly string[], now: Date, heldSince: Date | null) {
  if (leadIds.length === 0) return [];
  return db
    .selectFrom("score_ledger")
    .select(["id", "lead_id", "delta", "category", "at", "expires_at"])
    .where("lead_id", "in", leadIds)
    .where("reason", "=", "flow")
    .where("expired_at", "is", null)
    .where((eb) => eb.or([eb("expires_at", "<=", now), ...(heldSince ? [eb("at", "<=", heldSince)] : [])]))
    .execute();
}

const DECAY_LEDGER_COLUMNS = {
  lead_id: "uuid", delta: "float8", category: "text", flow_id: "text", flow_version: "int", node_id: "text", event_id: "uuid",
  run_id: "uuid", reason: "text", at: "timestamptz", processed_at: "timestamptz", expires_at: "timestamptz", expires_entry_id: "int8",
} as const satisfies RecordColumns<"score_ledger">;

/** A decay or expire ledger entry (an expire entry names the entry it takes back in expires_entry_id). */
export type DecayLedgerEntry = RecordOf<"score_ledger", typeof DECAY_LEDGER_COLUMNS>;

/** The decay and expire entries of a chunk: one statement and one JSON parameter per 1,000 rows. */
export async function insertDecayEntries(db: Kysely<DB>, entries: readonly DecayLedgerEntry[]): Promise<void> {
  for (const part of chunks(entries)) await insertRecords("score_ledger", DECAY_LEDGER_COLUMNS, part).execute(db);
}

/** Marks entries as taken back at `at`. */
export async function markEntriesExpired(db: Kysely<DB>, entryIds: readonly string[], at: Date): Promise<void> {
  if (entryIds.length === 0) return;
  await db.updateTable("score_ledger").set({ expired_at: at }).where("id", "in", entryIds).execute();
}

/**
 * Moves leads' decayed_at forward to `now`, never backwards: a pass "as of" an earlier instant
 * must not make later decay count twice.
 */
export async function markLeadsDecayed(db: Kysely<DB>, leadIds: readonly string[], now: Date): Promise<void> {
  if (leadIds.length === 0) return;
  await db
    .updateTable("leads")
    .set({ decayed_at: sql<Date>`greatest(decayed_at, ${now}::timestamptz)` })
    .where("id", "in", leadIds)
    .execute();
}

/** What a decay preview asks: each lead's engagement recomputed from its flow entries as of `at`. */
export interface DecayPreviewQuery {
  at: Date;
  /** entries are worth delta·0.5^(age/half-life); null: full value */
  halfLifeDays: number | null;
  /** entries counting from at or before this are worth nothing (an `expire` policy); null: none */
  heldSince: Date | null;
  /** the tiers, as the scoring model names them */
  tiers: readonly { name: string; min: number }[];
}

/** SQL CASE giving the tier of a total, as the engine's tierFor does: highest min <= total, else the lowest tier. */
function tierCase(tiers: DecayPreviewQuery["tiers"], total: RawBuilder<unknown>): RawBuilder<string> {
  const sorted = [...tiers].sort((a, b) => b.min - a.min);
  const lowest = sorted[sorted.length - 1]?.name ?? "";
  const whens = sorted.map((t) => sql`WHEN ${total} >= ${t.min}::float8 THEN ${t.name}::text`);
  return sql<string>`CASE ${sql.join(whens, sql` `)} ELSE ${lowest}::text END`;
}

/** Every lead's tier, total, and new total and tier under the previewed policy (fit unchanged), as a WITH clause `p`. */
function previewedLeads(q: DecayPreviewQuery): RawBuilder<unknown> {
  const factor =
    q.halfLifeDays !== null
      ? sql`power(0.5::float8, greatest(0, extract(epoch FROM (${q.at}::timestamptz - e.at)))::float8 / ${q.halfLifeDays * 86_400}::float8)`
      : sql`1::float8`;
  const alive = q.heldSince ? sql`AND e.at > ${q.heldSince}::timestamptz` : sql``;
  const newTotal = sql`(l.fit + coalesce(e.engagement, 0))`;
  return sql`
    WITH e AS (
      SELECT e.lead_id, sum(e.delta * ${factor}) AS engagement
      FROM score_ledger e
      WHERE e.reason = 'flow' AND e.at <= ${q.at}::timestamptz
        AND (e.expires_at IS NULL OR e.expires_at > ${q.at}::timestamptz) ${alive}
      GROUP BY e.lead_id
    ), p AS (
      SELECT l.id, l.email, l.tier, l.total, ${newTotal} AS new_total, ${tierCase(q.tiers, newTotal)} AS new_tier
      FROM leads l LEFT JOIN e ON e.lead_id = l.id
    )`;
}

/** How many leads would go from each tier to each tier (the same tier included). Read-only. */
export async function countDecayPreviewMoves(db: Kysely<DB>, q: DecayPreviewQuery): Promise<{ tier: string; newTier: string; leads: number }[]> {
  const { rows } = await sql<{ tier: string; new_tier: string; leads: number }>`
    ${previewedLeads(q)} SELECT tier, new_tier, count(*)::int AS leads FROM p GROUP BY tier, new_tier ORDER BY tier, new_tier`.execute(db);
  return rows.map((r) => ({ tier: r.tier, newTier: r.new_tier, leads: Number(r.leads) }));
}

/** Up to `limit` leads whose tier would change, largest score change first. Read-only. */
export async function listDecayPreviewSample(db: Kysely<DB>, q: DecayPreviewQuery, limit: number) {
  const { rows } = await sql<{ id: string; email: string; tier: string; new_tier: string; total: number; new_total: number }>`
    ${previewedLeads(q)} SELECT id, email, tier, new_tier, total, new_total FROM p WHERE tier <> new_tier
    ORDER BY abs(new_total - total) DESC, id LIMIT ${limit}`.execute(db);
  return rows;
}
