import { sql, type Insertable, type Kysely, type Transaction } from "kysely";
import type { DB } from "@leadflow/db";
import type { Effect, LeadState } from "@leadflow/engine";
import { leadPatch } from "./lead-state.js";

type Db = Kysely<DB> | Transaction<DB>;

const CHUNK = 1000;
function* chunks<T>(items: T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Writes many leads' engine-owned columns in one statement per chunk. `decayedAt` (the decay
 * pass) moves leads.decayed_at forward in the same statement: one row version, not two.
 */
export async function updateLeads(db: Db, leads: LeadState[], now: Date, options: { decayedAt?: Date } = {}): Promise<void> {
  const decayed = options.decayedAt ? sql`, decayed_at = greatest(l.decayed_at, ${options.decayedAt}::timestamptz)` : sql``;
  for (const part of chunks(leads)) {
    await sql`
      UPDATE leads AS l SET
        properties = v.properties, stage = v.stage, status = v.status, owner_id = v.owner_id,
        fit = v.fit, engagement = v.engagement, total = v.total, categories = v.categories,
        tier = v.tier, flow_state = v.flow_state, last_activity_at = v.last_activity_at,
        updated_at = ${now}${decayed}
      FROM jsonb_to_recordset(${JSON.stringify(part.map(leadPatch))}::jsonb) AS v(
        id uuid, properties jsonb, stage text, status text, owner_id text, fit float8, engagement float8,
        total float8, categories jsonb, tier text, flow_state jsonb, last_activity_at timestamptz)
      WHERE l.id = v.id`.execute(db);
  }
}

export interface EffectsOfLead {
  leadId: string;
  effects: Effect[];
}

/**
 * Persists what the engine decided, in the caller's transaction: runs, ledger entries, tier
 * changes, outbox jobs (one per run and node), timers and deals. Bulk inserts, no per-effect trips.
 */
export async function writeEffects(db: Db, batches: EffectsOfLead[], now: Date, newId: () => string): Promise<void> {
  const runs: Insertable<DB["flow_runs"]>[] = [];
  const ledger: Insertable<DB["score_ledger"]>[] = [];
  const tiers: Insertable<DB["tier_changes"]>[] = [];
  const jobs: Insertable<DB["outbox_jobs"]>[] = [];
  const timers: Insertable<DB["timers"]>[] = [];
  const deals: Insertable<DB["deals"]>[] = [];
  const at = now.toISOString();
  for (const { leadId, effects } of batches) {
    for (const e of effects) {
      switch (e.kind) {
        case "run":
          runs.push({
            id: e.runId, lead_id: leadId, flow_id: e.flowId, flow_version: e.version, trigger_node_id: e.triggerNodeId,
            event_id: e.eventId, path: JSON.stringify(e.path), status: e.status, started_at: at, updated_at: at,
          });
          break;
        case "ledger":
          ledger.push({
            lead_id: leadId, delta: e.delta, category: e.category, flow_id: e.flowId, flow_version: e.version,
            node_id: e.nodeId, event_id: e.eventId, run_id: e.runId, reason: "flow", at, expires_at: e.expiresAt,
          });
          break;
        case "tier":
          tiers.push({ lead_id: leadId, from_tier: e.from, to_tier: e.to, event_id: e.eventId, at });
          break;
        case "job":
          jobs.push({
            id: newId(), lead_id: leadId, run_id: e.runId, flow_id: e.flowId, node_id: e.nodeId, job_type: e.jobType,
            payload: JSON.stringify(e.payload), status: "pending", next_attempt_at: at, last_error: null,
            message_id: null, sent_at: null,
          });
          break;
        case "timer":
          timers.push({
            id: newId(), lead_id: leadId, run_id: e.runId, flow_id: e.flowId, flow_version: e.version, node_id: e.nodeId,
            due_at: e.dueAt, status: "pending",
          });
          break;
        case "assign":
          deals.push({ id: newId(), lead_id: leadId, rep_id: e.repId, run_id: e.runId, stage: "new", created_at: at });
          break;
        default:
          assertNever(e);
      }
    }
  }
  for (const part of chunks(runs))
    await db
      .insertInto("flow_runs")
      .values(part)
      .onConflict((oc) => oc.column("id").doUpdateSet((eb) => ({ path: sql`flow_runs.path || excluded.path`, status: eb.ref("excluded.status"), updated_at: eb.ref("excluded.updated_at") })))
      .execute();
  for (const part of chunks(ledger)) await db.insertInto("score_ledger").values(part).execute();
  for (const part of chunks(tiers)) await db.insertInto("tier_changes").values(part).execute();
  for (const part of chunks(jobs))
    await db.insertInto("outbox_jobs").values(part).onConflict((oc) => oc.columns(["run_id", "node_id"]).doNothing()).execute();
  for (const part of chunks(timers))
    await db.insertInto("timers").values(part).onConflict((oc) => oc.columns(["run_id", "node_id"]).doNothing()).execute();
  for (const part of chunks(deals)) await db.insertInto("deals").values(part).execute();
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
