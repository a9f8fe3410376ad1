import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../tables.js";

/** Weekly score snapshots (lead id + the week's Monday) and the leads' weeks_down they feed. */

export interface SnapshotScores {
  id: string;
  fit: number;
  engagement: number;
  total: number;
  weeks_down: number;
}

/** The next `limit` leads' scores after `afterId` in id order, locked FOR UPDATE (weeks_down is written back). */
export async function lockLeadScoresAfter(trx: Transaction<DB>, afterId: string, limit: number): Promise<SnapshotScores[]> {
  return trx
    .selectFrom("leads")
    .select(["id", "fit", "engagement", "total", "weeks_down"])
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .forUpdate()
    .execute();
}

/** The snapshot totals of these leads in that week (YYYY-MM-DD), by lead id. */
export async function snapshotTotals(db: Kysely<DB>, leadIds: readonly string[], week: string): Promise<Map<string, number>> {
  if (leadIds.length === 0) return new Map();
  const rows = await db.selectFrom("score_snapshots").select(["lead_id", "total"]).where("lead_id", "in", leadIds).where("week", "=", week).execute();
  return new Map(rows.map((r) => [r.lead_id, r.total]));
}

/** One snapshot per lead for the week; a lead that already has that week's keeps it. */
export async function insertSnapshots(db: Kysely<DB>, week: string, leads: readonly SnapshotScores[], takenAt: Date): Promise<void> {
  if (leads.length === 0) return;
  await db
    .insertInto("score_snapshots")
    .values(leads.map((r) => ({ lead_id: r.id, week, fit: r.fit, engagement: r.engagement, total: r.total, taken_at: takenAt })))
    .onConflict((oc) => oc.columns(["lead_id", "week"]).doNothing())
    .execute();
}

/** Sets leads' weeks_down: one UPDATE per distinct value (a handful: 0 and the streaks that grew). */
export async function setWeeksDown(db: Kysely<DB>, changes: readonly { id: string; weeksDown: number }[]): Promise<void> {
  const byValue = new Map<number, string[]>();
  for (const c of changes) {
    const ids = byValue.get(c.weeksDown) ?? [];
    ids.push(c.id);
    byValue.set(c.weeksDown, ids);
  }
  for (const [weeksDown, ids] of byValue) {
    await db.updateTable("leads").set({ weeks_down: weeksDown }).where("id", "in", ids).execute();
  }
}

/** A lead's weekly snapshots, the newest `weeks`, oldest first. */
export async function listLeadSnapshots(db: Kysely<DB>, leadId: string, weeks: number) {
  const rows = await db
    .selectFrom("score_snapshots")
    .select([sql<string>`to_char(week, 'YYYY-MM-DD')`.as("week"), "total", "fit", "engagement"])
    .where("lead_id", "=", leadId)
    .orderBy("score_snapshots.week", "desc")
    .limit(weeks)
    .execute();
  return rows.reverse();
}
