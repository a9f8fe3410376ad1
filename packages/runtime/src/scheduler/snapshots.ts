import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "@leadflow/db";
import type { RuntimeDeps } from "../deps.js";
import { withRetry } from "../retry.js";
import { FIRST_ID, lockCursor, saveCursor } from "./scheduler-cursors.js";
import { roundPoints } from "../scoring/lead-scores.js";

const DAY = 86_400_000;

/** The Monday (UTC) of the week holding `now`, YYYY-MM-DD: a snapshot's key with the lead id. */
export function weekOf(now: Date): string {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  return new Date(midnight - sinceMonday * DAY).toISOString().slice(0, 10);
}

interface SnapshotCursor extends Record<string, unknown> {
  week: string | null;
  afterId: string;
  done: boolean;
}

/**
 * Weekly snapshots: the first ticks of each week (UTC) copy every lead's fit, engagement and
 * total into score_snapshots (lead id + week), a chunk per transaction behind a cursor, and
 * set the lead's weeks_down: one more than last week's when the total fell since last week's
 * snapshot, else 0 (the `score.trend.weeksDown` condition field).
 */
export async function takeSnapshots(deps: RuntimeDeps, now: Date, options: { chunk?: number; maxChunks?: number } = {}): Promise<{ leads: number }> {
  const chunk = options.chunk ?? 1000;
  const maxChunks = options.maxChunks ?? 50;
  let leads = 0;
  for (let i = 0; i < maxChunks; i++) {
    const n = await withRetry(() => deps.db.transaction().execute((trx) => snapshotChunk(trx, now, chunk)));
    leads += n;
    if (n < chunk) break;
  }
  return { leads };
}

async function snapshotChunk(trx: Transaction<DB>, now: Date, chunk: number): Promise<number> {
  const week = weekOf(now);
  const held = await lockCursor<SnapshotCursor>(trx, "snapshots", { week: null, afterId: FIRST_ID, done: false });
  if (!held) return 0;
  const cursor: SnapshotCursor = held.week === week ? held : { week, afterId: FIRST_ID, done: false };
  if (cursor.done) return 0;
  const rows = await trx
    .selectFrom("leads")
    .select(["id", "fit", "engagement", "total", "weeks_down"])
    .where("id", ">", cursor.afterId)
    .orderBy("id")
    .limit(chunk)
    .forUpdate()
    .execute();
  if (rows.length > 0) {
    const previousWeek = new Date(new Date(`${week}T00:00:00Z`).getTime() - 7 * DAY).toISOString().slice(0, 10);
    const prev = await trx
      .selectFrom("score_snapshots")
      .select(["lead_id", "total"])
      .where("lead_id", "in", rows.map((r) => r.id))
      .where("week", "=", previousWeek)
      .execute();
    const prevTotal = new Map(prev.map((p) => [p.lead_id, p.total]));
    await trx
      .insertInto("score_snapshots")
      .values(rows.map((r) => ({ lead_id: r.id, week, fit: r.fit, engagement: r.engagement, total: r.total, taken_at: now })))
      .onConflict((oc) => oc.columns(["lead_id", "week"]).doNothing())
      .execute();
    const down = rows.map((r) => {
      const before = prevTotal.get(r.id);
      return { id: r.id, weeks_down: before !== undefined && r.total < before - 1e-9 ? r.weeks_down + 1 : 0 };
    });
    const changed = down.filter((d, i) => d.weeks_down !== rows[i]!.weeks_down);
    if (changed.length > 0) {
      await sql`
        UPDATE leads AS l SET weeks_down = v.weeks_down
        FROM jsonb_to_recordset(${JSON.stringify(changed)}::jsonb) AS v(id uuid, weeks_down integer)
        WHERE l.id = v.id`.execute(trx);
    }
  }
  const next: SnapshotCursor = { week, afterId: rows.length ? rows[rows.length - 1]!.id : cursor.afterId, done: rows.length < chunk };
  await saveCursor(trx, "snapshots", next, now);
  return rows.length;
}

/** A lead's weekly snapshots, oldest first (at most a year). */
export async function leadTrend(db: Kysely<DB>, leadId: string): Promise<{ week: string; total: number; fit: number; engagement: number }[]> {
  const rows = await db
    .selectFrom("score_snapshots")
    .select([sql<string>`to_char(week, 'YYYY-MM-DD')`.as("week"), "total", "fit", "engagement"])
    .where("lead_id", "=", leadId)
    .orderBy("score_snapshots.week", "desc")
    .limit(53)
    .execute();
  return rows.reverse().map((r) => ({ week: r.week, total: roundPoints(r.total), fit: roundPoints(r.fit), engagement: roundPoints(r.engagement) }));
}
