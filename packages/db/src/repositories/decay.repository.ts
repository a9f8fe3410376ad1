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

/** A half-life pass over a chunk of leads in SQL (see decayChunkInSql). */
export interface SetDecayQuery {
  now: Date;
  /** leads whose decayed_at is at or before this are due */
  decayedBefore: Date;
  limit: number;
  halfLifeDays: number;
  tiers: readonly { name: string; min: number }[];
  /** published trigger.score nodes: a lead whose score passes one of these values goes to the engine */
  marks: readonly { score: string; value: number }[];
}

/** margin around a boundary within which a lead goes to the engine anyway (float rounding between SQL and JS) */
const EDGE = 1e-7;

/** A ScoreRef (`total`, `fit`, `engagement`, `category.<name>`) read from SQL columns, as the engine's readScore. */
function scoreOf(ref: RawBuilder<unknown>, fit: RawBuilder<unknown>, engagement: RawBuilder<unknown>, categories: RawBuilder<unknown>) {
  return sql`(CASE ${ref} WHEN 'total' THEN ${fit} + ${engagement} WHEN 'fit' THEN ${fit} WHEN 'engagement' THEN ${engagement}
    ELSE CASE WHEN ${ref} LIKE 'category.%' THEN coalesce((${categories}->>substr(${ref}, 10))::float8, 0) ELSE 0 END END)`;
}

/**
 * Claims up to `limit` due leads (FOR UPDATE SKIP LOCKED, longest-waiting first) and decays them
 * in one statement, with the exact formula of the engine's decayScores: (stored − fresh)·f(since)
 * + Σ fresh·f(now − at). Leads whose change can matter to the engine (a tier boundary, a
 * trigger.score value or a threshold mark within reach, an own expiry due) are left untouched
 * and returned in `engine`, still locked, for the engine to decay. The others get their scores,
 * decayed_at and their 'decay' ledger rows (one per moved category, one uncategorised) here.
 */
export async function decayChunkInSql(trx: Transaction<DB>, q: SetDecayQuery) {
  const seconds = q.halfLifeDays * 86_400;
  const f = (from: RawBuilder<unknown>, to: RawBuilder<unknown>) => sql`power(0.5::float8, greatest(0, extract(epoch FROM (${to} - ${from})))::float8 / ${seconds}::float8)`;
  const now = sql`${q.now}::timestamptz`;
  const newTotal = sql`(n.fit + n.new_e)`;
  const oldScore = (ref: RawBuilder<unknown>) => scoreOf(ref, sql`n.fit`, sql`n.engagement`, sql`n.categories`);
  const newScore = (ref: RawBuilder<unknown>) => scoreOf(ref, sql`n.fit`, sql`n.new_e`, sql`n.new_c`);
  // the planner's guesses for jsonb_each are far off, and JIT-compiling this plan would cost seconds
  await sql`SET LOCAL jit = off`.execute(trx);
  const { rows } = await sql<{ claimed: number; changed: number; engine: string[] | null }>`
    WITH c AS MATERIALIZED (
      SELECT id, fit, engagement, categories, tier, flow_state, decayed_at,
        CASE WHEN decayed_at = '-infinity' THEN 0::float8 WHEN decayed_at >= ${now} THEN 1::float8 ELSE ${f(sql`decayed_at`, now)} END AS k
      FROM leads WHERE decayed_at <= ${q.decayedBefore}::timestamptz ORDER BY decayed_at LIMIT ${q.limit} FOR UPDATE SKIP LOCKED
    ), fe AS MATERIALIZED (
      SELECT e.lead_id, e.category, sum(e.delta * ${f(sql`e.at`, sql`e.processed_at`)}) AS stored, sum(e.delta * ${f(sql`e.at`, now)}) AS worth
      FROM score_ledger e JOIN c ON c.id = e.lead_id
      -- probes score_ledger_lead per lead: a hash join would scan the whole ledger for every chunk
      WHERE e.lead_id = ANY (ARRAY(SELECT id FROM c)) AND e.reason = 'flow' AND e.expired_at IS NULL AND e.processed_at > c.decayed_at
      GROUP BY e.lead_id, e.category
    ), cat AS MATERIALIZED (
      SELECT r.id, r.name, sum(r.old) AS old,
        CASE WHEN c.k = 1 THEN sum(r.old) ELSE (sum(r.old) - sum(r.stored)) * c.k + sum(r.worth) END AS v
      FROM (SELECT c.id, s.key AS name, s.value::float8 AS old, 0::float8 AS stored, 0::float8 AS worth FROM c, jsonb_each_text(c.categories) s
            UNION ALL SELECT lead_id, category, 0, stored, worth FROM fe WHERE category IS NOT NULL) r
      JOIN c ON c.id = r.id GROUP BY r.id, r.name, c.k
    ), catj AS (
      SELECT id, jsonb_object_agg(name, v) FILTER (WHERE abs(v) >= 1e-9) AS new_c FROM cat GROUP BY id
    ), fsum AS (
      SELECT lead_id, sum(stored) AS stored, sum(worth) AS worth FROM fe GROUP BY lead_id
    ), xp AS (
      SELECT DISTINCT lead_id FROM score_ledger
      WHERE expires_at IS NOT NULL AND expired_at IS NULL AND expires_at <= ${now} AND reason = 'flow' AND lead_id IN (SELECT id FROM c)
    ), n AS MATERIALIZED (
      SELECT c.*, CASE WHEN abs(z.e) < 1e-9 THEN 0 ELSE z.e END AS new_e, coalesce(catj.new_c, '{}'::jsonb) AS new_c, xp.lead_id IS NOT NULL AS expiring
      FROM c LEFT JOIN fsum ON fsum.lead_id = c.id LEFT JOIN catj ON catj.id = c.id LEFT JOIN xp ON xp.lead_id = c.id,
        LATERAL (SELECT CASE WHEN c.k = 1 THEN c.engagement ELSE (c.engagement - coalesce(fsum.stored, 0)) * c.k + coalesce(fsum.worth, 0) END AS e) z
    ), mk AS MATERIALIZED (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(q.marks)}::jsonb) AS t(score text, value float8)
    ), m AS MATERIALIZED (
      SELECT n.*, (n.new_e <> n.engagement OR n.new_c <> n.categories) AS moved,
        (n.expiring OR ((n.new_e <> n.engagement OR n.new_c <> n.categories) AND (
           ${tierCase(q.tiers, newTotal)} <> n.tier
           OR ${tierCase(q.tiers, sql`(n.fit + n.new_e - ${EDGE}::float8)`)} <> ${tierCase(q.tiers, sql`(n.fit + n.new_e + ${EDGE}::float8)`)}
           OR EXISTS (SELECT 1 FROM mk t
                      WHERE t.value BETWEEN least(${oldScore(sql`t.score`)}, ${newScore(sql`t.score`)}) - ${EDGE}::float8
                                        AND greatest(${oldScore(sql`t.score`)}, ${newScore(sql`t.score`)}) + ${EDGE}::float8)
           OR EXISTS (SELECT 1 FROM jsonb_each(coalesce(n.flow_state->'thresholds', '{}'::jsonb)) t
                      WHERE ${newScore(sql`(t.value->>'score')`)} < (t.value->>'atLeast')::float8 + ${EDGE}::float8)))) AS engine
      FROM n
    ), upd AS (
      UPDATE leads l SET engagement = m.new_e, categories = m.new_c, total = m.fit + m.new_e,
        decayed_at = greatest(l.decayed_at, ${now}), updated_at = CASE WHEN m.moved THEN ${now} ELSE l.updated_at END
      -- the id list lets the planner probe the primary key rather than scan every lead for each chunk
      FROM m WHERE l.id = ANY (ARRAY(SELECT id FROM m WHERE NOT engine)) AND l.id = m.id AND NOT m.engine
    ), changes AS MATERIALIZED (
      SELECT cat.id, cat.name, coalesce((m.new_c->>cat.name)::float8, 0) - cat.old AS delta
      FROM cat JOIN m ON m.id = cat.id AND m.moved AND NOT m.engine
    ), rest AS (
      SELECT m.id, m.new_e - m.engagement - coalesce(ch.s, 0) AS delta
      FROM m LEFT JOIN (SELECT id, sum(delta) AS s FROM changes GROUP BY id) ch ON ch.id = m.id WHERE m.moved AND NOT m.engine
    ), led AS (
      INSERT INTO score_ledger (lead_id, delta, category, reason, at, processed_at)
      SELECT id, delta, name, 'decay', ${now}, ${now} FROM changes WHERE abs(delta) >= 1e-6
      UNION ALL SELECT id, delta, NULL, 'decay', ${now}, ${now} FROM rest WHERE abs(delta) >= 1e-6
    )
    SELECT count(*)::int AS claimed, (count(*) FILTER (WHERE moved AND NOT engine))::int AS changed,
      array_agg(id::text) FILTER (WHERE engine) AS engine
    FROM m`.execute(trx);
  const first = rows[0];
  return { claimed: Number(first?.claimed ?? 0), changed: Number(first?.changed ?? 0), engine: first?.engine ?? [] };
}

/** Leads by id, whole rows (ones the caller's transaction has already locked). */
export async function findLeadRows(db: Kysely<DB>, ids: readonly string[]): Promise<Selectable<LeadTable>[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("leads").selectAll().where("id", "in", ids).orderBy("id").execute();
}
