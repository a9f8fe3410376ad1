import { sql, type Kysely, type Transaction } from "kysely";
import pg from "pg";
import type { DB } from "../tables.js";

/** The lead space is split into this many partitions (fixed: leases exist for each, migration 0009). */
export const PARTITIONS = 64;
/** The NOTIFY channel appenders wake consumers on. */
export const EVENTS_CHANNEL = "leadflow_events";

/** A lead's partition: the low 32 bits of its id (random in v4 and v7 UUIDs) modulo PARTITIONS. */
export function partitionOf(leadId: string): number {
  return Number.parseInt(leadId.replace(/-/g, "").slice(-8), 16) % PARTITIONS;
}

/** Queues stored events for scoring, in the given order (their `seq` follows it). */
export async function enqueueEvents(db: Kysely<DB>, rows: readonly { eventId: string; leadId: string }[]): Promise<void> {
  if (rows.length === 0) return;
  const ids = rows.map((r) => r.eventId);
  const leads = rows.map((r) => r.leadId);
  const parts = rows.map((r) => partitionOf(r.leadId));
  await sql`INSERT INTO event_queue (event_id, lead_id, part)
    SELECT e, l, p FROM unnest(${ids}::uuid[], ${leads}::uuid[], ${parts}::smallint[]) WITH ORDINALITY AS t(e, l, p, n)
    ORDER BY n ON CONFLICT (event_id) DO NOTHING`.execute(db);
}

/** Wakes listening consumers when the caller's transaction commits (NOTIFY is transactional). */
export async function notifyEventsQueued(db: Kysely<DB>): Promise<void> {
  await sql`SELECT pg_notify(${EVENTS_CHANNEL}, '')`.execute(db);
}

/** The leads with the oldest queued events of these partitions, first-queued first (at most `events` rows looked at). */
export async function queuedLeadIds(db: Kysely<DB>, parts: readonly number[], events: number): Promise<string[]> {
  if (parts.length === 0) return [];
  const r = await sql<{ lead_id: string }>`SELECT lead_id FROM (
      SELECT lead_id, seq FROM event_queue WHERE part = ANY(${[...parts]}::smallint[]) ORDER BY seq LIMIT ${events}
    ) t GROUP BY lead_id ORDER BY min(seq)`.execute(db);
  return r.rows.map((row) => row.lead_id);
}

export interface QueuedEvent {
  seq: number;
  event_id: string;
  lead_id: string;
  type: string;
  properties: Record<string, unknown>;
  occurred_at: Date | string;
}

/** The queued events of these leads with their stored fields, in queue order (call with the leads locked). */
export async function takeQueuedEvents(trx: Transaction<DB>, leadIds: readonly string[], limit: number): Promise<QueuedEvent[]> {
  if (leadIds.length === 0) return [];
  const r = await sql<QueuedEvent>`SELECT q.seq, q.event_id, q.lead_id, e.type, e.properties, e.occurred_at
    FROM event_queue q JOIN events e ON e.id = q.event_id
    WHERE q.lead_id = ANY(${[...leadIds]}::uuid[]) ORDER BY q.seq LIMIT ${limit}`.execute(trx);
  return r.rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

/** Removes scored events from the queue (in the transaction that wrote their scores). */
export async function deleteQueued(trx: Transaction<DB>, seqs: readonly number[]): Promise<void> {
  if (seqs.length === 0) return;
  await sql`DELETE FROM event_queue WHERE seq = ANY(${[...seqs]}::bigint[])`.execute(trx);
}

/** Drops the queued events of leads that no longer exist (nothing to score them for). */
export async function deleteQueuedOfLeads(trx: Transaction<DB>, leadIds: readonly string[]): Promise<void> {
  if (leadIds.length === 0) return;
  await sql`DELETE FROM event_queue WHERE lead_id = ANY(${[...leadIds]}::uuid[])`.execute(trx);
}

/** How many of these events are still queued (not scored yet). */
export async function countQueuedEvents(db: Kysely<DB>, eventIds: readonly string[]): Promise<number> {
  if (eventIds.length === 0) return 0;
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_queue WHERE event_id = ANY(${[...eventIds]}::uuid[])`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** How many events of the lead wait to be scored. */
export async function countQueuedForLead(db: Kysely<DB>, leadId: string): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_queue WHERE lead_id = ${leadId}::uuid`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * A consumer's heartbeat: marks it live, renews its leases, and moves it towards its fair share
 * (PARTITIONS / live consumers, rounded up): extra partitions are released (highest first), free
 * or expired ones claimed (SKIP LOCKED: two claimers never take the same). Database time, so the
 * processes' clocks do not matter. Returns the partitions it owns now.
 */
export async function rebalanceLeases(db: Kysely<DB>, owner: string, leaseMs: number): Promise<number[]> {
  const lease = `${Math.max(1, Math.round(leaseMs))} milliseconds`;
  return db.transaction().execute(async (trx) => {
    await sql`INSERT INTO consumer_members (owner, seen_at) VALUES (${owner}, now())
      ON CONFLICT (owner) DO UPDATE SET seen_at = now()`.execute(trx);
    await sql`DELETE FROM consumer_members WHERE seen_at < now() - ${lease}::interval * 3`.execute(trx);
    const live = await sql<{ n: number }>`SELECT count(*)::int AS n FROM consumer_members WHERE seen_at > now() - ${lease}::interval`.execute(trx);
    const share = Math.ceil(PARTITIONS / Math.max(1, Number(live.rows[0]?.n ?? 1)));
    const mine = (await sql<{ part: number }>`UPDATE consumer_leases SET expires_at = now() + ${lease}::interval
      WHERE owner = ${owner} RETURNING part`.execute(trx)).rows.map((r) => r.part).sort((a, b) => a - b);
    if (mine.length > share) {
      const extra = mine.splice(share);
      await sql`UPDATE consumer_leases SET owner = NULL, expires_at = '-infinity' WHERE part = ANY(${extra}::smallint[]) AND owner = ${owner}`.execute(trx);
    } else if (mine.length < share) {
      const got = await sql<{ part: number }>`UPDATE consumer_leases SET owner = ${owner}, expires_at = now() + ${lease}::interval
        WHERE part IN (SELECT part FROM consumer_leases WHERE owner IS NULL OR expires_at < now() ORDER BY part LIMIT ${share - mine.length} FOR UPDATE SKIP LOCKED)
        RETURNING part`.execute(trx);
      mine.push(...got.rows.map((r) => r.part));
    }
    return mine.sort((a, b) => a - b);
  });
}

/** A stopping consumer gives its partitions back at once (others need not wait for the lease). */
export async function releaseLeases(db: Kysely<DB>, owner: string): Promise<void> {
  await sql`UPDATE consumer_leases SET owner = NULL, expires_at = '-infinity' WHERE owner = ${owner}`.execute(db);
  await sql`DELETE FROM consumer_members WHERE owner = ${owner}`.execute(db);
}

/** Who owns which partitions now (unexpired leases). */
export async function liveLeases(db: Kysely<DB>): Promise<Map<string, number[]>> {
  const r = await sql<{ part: number; owner: string }>`SELECT part, owner FROM consumer_leases
    WHERE owner IS NOT NULL AND expires_at > now() ORDER BY part`.execute(db);
  const out = new Map<string, number[]>();
  for (const { part, owner } of r.rows) out.set(owner, [...(out.get(owner) ?? []), part]);
  return out;
}

/**
 * LISTENs for queued events on a dedicated connection (PostgreSQL; a pooled one would lose the
 * LISTEN). A lost connection calls `onWake` (the consumer then polls) and `onError`. Returns stop.
 */
export async function listenForQueuedEvents(url: string, onWake: () => void, onError: (e: Error) => void = () => undefined): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url });
  client.on("notification", () => onWake());
  client.on("error", (e) => {
    onError(e);
    onWake();
  });
  await client.connect();
  await client.query(`LISTEN ${EVENTS_CHANNEL}`);
  return async () => {
    await client.end().catch(() => undefined);
  };
}
