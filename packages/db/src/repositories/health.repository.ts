import { sql, type Kysely } from "kysely";
import type { DB } from "../tables.js";

/** Queries behind /readyz and /metrics: small, read-only, never holding a lock. */

/** Resolves when the database answers a trivial query; throws the driver's error otherwise. */
export async function pingDatabase(db: Kysely<DB>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}

/** Names of the migrations recorded as applied (Kysely's own bookkeeping table). */
export async function appliedMigrationNames(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.map((r) => r.name);
}

/** Statuses that make up the outbox's depth: work waiting or in flight, and what gave up (sent and skipped are history). */
export const OUTBOX_DEPTH_STATUSES = ["pending", "sending", "dead"] as const;

/** Outbox jobs per depth status, every status present (0 when none). */
export async function outboxDepth(db: Kysely<DB>): Promise<Record<(typeof OUTBOX_DEPTH_STATUSES)[number], number>> {
  const rows = await db
    .selectFrom("outbox_jobs")
    .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
    .where("status", "in", [...OUTBOX_DEPTH_STATUSES])
    .groupBy("status")
    .execute();
  const depth = { pending: 0, sending: 0, dead: 0 };
  for (const r of rows) depth[r.status as keyof typeof depth] = Number(r.n);
  return depth;
}

/**
 * The scoring queue (event_queue, issue 10): events stored and not scored yet, and the age of
 * the oldest by its received time, on the database's clock (0 when the queue is empty).
 */
export async function scoringBacklog(db: Kysely<DB>): Promise<{ events: number; lagSeconds: number }> {
  const { rows } = await sql<{ events: number; lag: number | null }>`
    SELECT (SELECT count(*)::int FROM event_queue) AS events,
           (SELECT EXTRACT(EPOCH FROM now() - e.received_at)::float8
              FROM event_queue q JOIN events e ON e.id = q.event_id ORDER BY q.seq LIMIT 1) AS lag`.execute(db);
  const row = rows[0];
  return { events: Number(row?.events ?? 0), lagSeconds: Math.max(0, Number(row?.lag ?? 0)) };
}
