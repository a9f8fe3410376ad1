import { sql, type Kysely, type Transaction } from "kysely";
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
 * `statusKept`: ids of leads whose status the caller did not change; their status column is left
 * out of the SET list, so the row's current status stays and the status trigger does not fire.
 */
export async function updateLeads(
  db: Db,
  leads: LeadState[],
  now: Date,
  options: { decayedAt?: Date; statusKept?: ReadonlySet<string> } = {},
): Promise<void> {
  const decayed = options.decayedAt ? sql`, decayed_at = greatest(l.decayed_at, ${options.decayedAt}::timestamptz)` : sql``;
  const kept = options.statusKept;
  const groups = kept ? [leads.filter((l) => kept.has(l.id)), leads.filter((l) => !kept.has(l.id))] : [[], leads];
  for (const [i, group] of groups.entries()) {
    const status = i === 0 ? sql`` : sql`status = v.status, `;
    for (const part of chunks(group)) {
      await sql`
        UPDATE leads AS l SET
          ${status}properties = v.properties, stage = v.stage, owner_id = v.owner_id,
          fit = v.fit, engagement = v.engagement, total = v.total, categories = v.categories,
          tier = v.tier, flow_state = v.flow_state, last_activity_at = v.last_activity_at,
          updated_at = ${now}${decayed}
        FROM jsonb_to_recordset(${JSON.stringify(part.map(leadPatch))}::jsonb) AS v(
          id uuid, properties jsonb, stage text, status text, owner_id text, fit float8, engagement float8,
          total float8, categories jsonb, tier text, flow_state jsonb, last_activity_at timestamptz)
        WHERE l.id = v.id`.execute(db);
    }
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
  const runs: object[] = [];
  const ledger: object[] = [];
  const tiers: object[] = [];
  const jobs: object[] = [];
  const timers: object[] = [];
  const deals: object[] = [];
  const at = now.toISOString();
  for (const { leadId, effects } of batches) {
    for (const e of effects) {
      switch (e.kind) {
        case "run":
          runs.push({
            id: e.runId, lead_id: leadId, flow_id: e.flowId, flow_version: e.version, trigger_node_id: e.triggerNodeId,
            event_id: e.eventId, path: e.path, status: e.status, started_at: at, updated_at: at,
          });
          break;
        case "ledger":
          ledger.push(...ledgerRows(leadId, e, at));
          break;
        case "tier":
          tiers.push({ lead_id: leadId, from_tier: e.from, to_tier: e.to, event_id: e.eventId, at });
          break;
        case "job":
          jobs.push({
            id: newId(), lead_id: leadId, run_id: e.runId, flow_id: e.flowId, node_id: e.nodeId, job_type: e.jobType,
            payload: e.payload, status: "pending", next_attempt_at: at,
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
  await insertAll(db, [
    {
      table: "flow_runs", columns: FLOW_RUN_COLUMNS, rows: runs,
      onConflict: "ON CONFLICT (id) DO UPDATE SET path = flow_runs.path || excluded.path, status = excluded.status, updated_at = excluded.updated_at",
    },
    { table: "score_ledger", columns: LEDGER_COLUMNS, rows: ledger },
    { table: "tier_changes", columns: TIER_COLUMNS, rows: tiers },
    { table: "outbox_jobs", columns: JOB_COLUMNS, rows: jobs, onConflict: "ON CONFLICT (run_id, node_id) DO NOTHING" },
    { table: "timers", columns: TIMER_COLUMNS, rows: timers, onConflict: "ON CONFLICT (run_id, node_id) DO NOTHING" },
    { table: "deals", columns: DEAL_COLUMNS, rows: deals },
  ]);
}

/**
 * A flow entry at the event's time, and for a late one what it had lost by the time it was
 * processed, in the same run/node/event so the lead's ledger explains it: a 'decay' row
 * (half-life between the event and now) or, when its expiry had already passed, an 'expire'
 * row taking it all back at that instant (the entry is marked taken back: no pass takes it again).
 */
function ledgerRows(leadId: string, e: Extract<Effect, { kind: "ledger" }>, processedAt: string): object[] {
  const source = { lead_id: leadId, category: e.category, flow_id: e.flowId, flow_version: e.version, node_id: e.nodeId, event_id: e.eventId, run_id: e.runId };
  const rows: object[] = [{
    ...source, delta: e.delta, reason: "flow", at: e.at, processed_at: processedAt, expires_at: e.expiresAt,
    expired_at: e.expiredAt === null ? null : processedAt,
  }];
  const lost = e.credited - e.delta;
  if (Math.abs(lost) >= 1e-9) {
    rows.push({
      ...source, delta: lost, reason: e.expiredAt === null ? "decay" : "expire", at: e.expiredAt ?? processedAt,
      processed_at: processedAt, expires_at: null, expired_at: null,
    });
  }
  return rows;
}

const FLOW_RUN_COLUMNS = "id uuid, lead_id uuid, flow_id text, flow_version int, trigger_node_id text, event_id uuid, path jsonb, status text, started_at timestamptz, updated_at timestamptz";
const LEDGER_COLUMNS =
  "lead_id uuid, delta float8, category text, flow_id text, flow_version int, node_id text, event_id uuid, run_id uuid, reason text, at timestamptz, processed_at timestamptz, expires_at timestamptz, expired_at timestamptz";
const TIER_COLUMNS = "lead_id uuid, from_tier text, to_tier text, event_id uuid, at timestamptz";
const JOB_COLUMNS = "id uuid, lead_id uuid, run_id uuid, flow_id text, node_id text, job_type text, payload jsonb, status text, next_attempt_at timestamptz";
const TIMER_COLUMNS = "id uuid, lead_id uuid, run_id uuid, flow_id text, flow_version int, node_id text, due_at timestamptz, status text";
const DEAL_COLUMNS = "id uuid, lead_id uuid, rep_id text, run_id uuid, stage text, created_at timestamptz";

interface RecordInsert {
  table: string;
  /** "name type" pairs, as jsonb_to_recordset takes them */
  columns: string;
  rows: object[];
  onConflict?: string;
}

/**
 * Bulk inserts into several tables in one statement (each table's rows one JSON parameter read
 * by `jsonb_to_recordset`, the inserts chained as data-modifying WITH clauses): one round trip,
 * and no statement with thousands of bind parameters to build, send and plan.
 */
async function insertAll(db: Db, inserts: RecordInsert[]): Promise<void> {
  const parts = inserts
    .filter((i) => i.rows.length > 0)
    .map((i) => {
      const names = i.columns.split(",").map((c) => c.trim().split(" ")[0]).join(", ");
      return sql`INSERT INTO ${sql.table(i.table)} (${sql.raw(names)})
        SELECT ${sql.raw(names)} FROM jsonb_to_recordset(${JSON.stringify(i.rows)}::jsonb) AS v(${sql.raw(i.columns)})
        ${sql.raw(i.onConflict ?? "")}`;
    });
  const last = parts.pop();
  if (!last) return;
  const before = parts.map((p, n) => sql`${sql.raw(`w${n}`)} AS (${p})`);
  await (before.length > 0 ? sql`WITH ${sql.join(before)} ${last}` : last).execute(db);
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
