import {
  insertSnapshots,
  listLeadSnapshots,
  lockCursor,
  lockLeadScoresAfter,
  saveCursor,
  setWeeksDown,
  snapshotTotals,
  type DB,
  type Kysely,
  type Transaction,
} from "@leadflow/db";
import type { RuntimeDeps } from "../deps.js";
import { withRetry } from "../retry.js";
import { FIRST_ID, passSize, type PassOptions } from "./passes.js";
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
export async function takeSnapshots(deps: RuntimeDeps, now: Date, options: PassOptions = {}): Promise<{ leads: number }> {
  const { chunk, maxChunks } = passSize(options, 50);
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
  const rows = await lockLeadScoresAfter(trx, cursor.afterId, chunk);
  if (rows.length > 0) {
    const previousWeek = new Date(new Date(`${week}T00:00:00Z`).getTime() - 7 * DAY).toISOString().slice(0, 10);
    const prevTotal = await snapshotTotals(trx, rows.map((r) => r.id), previousWeek);
    await insertSnapshots(trx, week, rows, now);
    const changed = rows
      .map((r) => {
        const before = prevTotal.get(r.id);
        return { id: r.id, was: r.weeks_down, weeksDown: before !== undefined && r.total < before - 1e-9 ? r.weeks_down + 1 : 0 };
      })
      .filter((d) => d.weeksDown !== d.was);
    await setWeeksDown(trx, changed);
  }
  const next: SnapshotCursor = { week, afterId: rows.length ? rows[rows.length - 1]!.id : cursor.afterId, done: rows.length < chunk };
  await saveCursor(trx, "snapshots", next, now);
  return rows.length;
}

/** A lead's weekly snapshots, oldest first (at most a year). */
export async function leadTrend(db: Kysely<DB>, leadId: string): Promise<{ week: string; total: number; fit: number; engagement: number }[]> {
  const rows = await listLeadSnapshots(db, leadId, 53);
  return rows.map((r) => ({ week: r.week, total: roundPoints(r.total), fit: roundPoints(r.fit), engagement: roundPoints(r.engagement) }));
}
