import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../tables.js";

/** One of a lead's events as behaviour rules read it. */
export interface BehaviourRow {
  leadId: string;
  id: string;
  type: string;
  properties: Record<string, unknown>;
  /** epoch milliseconds */
  at: number;
}

export interface BehaviourQuery {
  leadIds: readonly string[];
  /** per event type, the instant its window starts (events after it are loaded) */
  windows: ReadonlyMap<string, Date>;
  /** event types whose most recent occurrence is loaded, however old */
  latest: ReadonlySet<string>;
  /** most events loaded per lead and type: a rule never needs more than this many to decide */
  perTypeLimit: number;
}

/**
 * The leads' events that behaviour rules read, in one query: per lead and type, the events in
 * that type's window (newest first, at most `perTypeLimit` from the lead's own and from each of
 * its visitor ids' anonymous events, see identities) and the latest one of each `latest` type;
 * each event once. Each part walks one lead's or one visitor's time index, never a whole history.
 */
export async function findBehaviourEvents(db: Kysely<DB> | Transaction<DB>, q: BehaviourQuery): Promise<BehaviourRow[]> {
  if (q.leadIds.length === 0 || (q.windows.size === 0 && q.latest.size === 0)) return [];
  const ids = [...new Set(q.leadIds)];
  const windowTypes = [...q.windows.keys()];
  const windowStarts = windowTypes.map((t) => q.windows.get(t)!.toISOString());
  const latestTypes = [...q.latest];
  const r = await sql<{ lead_id: string; id: string; type: string; properties: Record<string, unknown>; occurred_at: Date | string }>`
    WITH l AS (SELECT unnest(${ids}::uuid[]) AS id),
    k AS (SELECT lead_id, anonymous_id FROM identities WHERE lead_id = ANY(${ids}::uuid[])),
    w AS (SELECT * FROM unnest(${windowTypes}::text[], ${windowStarts}::timestamptz[]) AS w(type, since)),
    t AS (SELECT unnest(${latestTypes}::text[]) AS type)
    SELECT l.id AS lead_id, e.* FROM l CROSS JOIN w CROSS JOIN LATERAL (
      SELECT id, type, properties, occurred_at FROM events
      WHERE lead_id = l.id AND type = w.type AND occurred_at > w.since
      ORDER BY occurred_at DESC LIMIT ${q.perTypeLimit}
    ) AS e
    UNION ALL
    SELECT k.lead_id, e.* FROM k CROSS JOIN w CROSS JOIN LATERAL (
      SELECT id, type, properties, occurred_at FROM events
      WHERE anonymous_id = k.anonymous_id AND lead_id IS NULL AND type = w.type AND occurred_at > w.since
      ORDER BY occurred_at DESC LIMIT ${q.perTypeLimit}
    ) AS e
    UNION ALL
    SELECT l.id AS lead_id, e.* FROM l CROSS JOIN t CROSS JOIN LATERAL (
      SELECT id, type, properties, occurred_at FROM events
      WHERE lead_id = l.id AND type = t.type
      ORDER BY occurred_at DESC LIMIT 1
    ) AS e
    UNION ALL
    SELECT k.lead_id, e.* FROM k CROSS JOIN t CROSS JOIN LATERAL (
      SELECT id, type, properties, occurred_at FROM events
      WHERE anonymous_id = k.anonymous_id AND lead_id IS NULL AND type = t.type
      ORDER BY occurred_at DESC LIMIT 1
    ) AS e`.execute(db);
  const seen = new Set<string>();
  const out: BehaviourRow[] = [];
  for (const row of r.rows) {
    // the latest event of a type may also be in that type's window
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    out.push({ leadId: row.lead_id, id: row.id, type: row.type, properties: row.properties, at: new Date(row.occurred_at).getTime() });
  }
  return out;
}
