import { sql, type Kysely, type RawBuilder } from "kysely";
import type { DB } from "../tables.js";
import { insertRecords, type RecordColumns, type RecordOf, type TableName } from "../recordset.js";

const RUN_COLUMNS = {
  id: "uuid", lead_id: "uuid", flow_id: "text", flow_version: "int", trigger_node_id: "text", event_id: "uuid", path: "jsonb",
  status: "text", started_at: "timestamptz", updated_at: "timestamptz",
} as const satisfies RecordColumns<"flow_runs">;
const LEDGER_COLUMNS = {
  lead_id: "uuid", delta: "float8", category: "text", flow_id: "text", flow_version: "int", node_id: "text", event_id: "uuid",
  run_id: "uuid", reason: "text", at: "timestamptz", processed_at: "timestamptz", expires_at: "timestamptz", expired_at: "timestamptz",
} as const satisfies RecordColumns<"score_ledger">;
const TIER_COLUMNS = {
  lead_id: "uuid", from_tier: "text", to_tier: "text", event_id: "uuid", at: "timestamptz",
} as const satisfies RecordColumns<"tier_changes">;
const JOB_COLUMNS = {
  id: "uuid", lead_id: "uuid", run_id: "uuid", flow_id: "text", node_id: "text", job_type: "text", payload: "jsonb", status: "text",
  next_attempt_at: "timestamptz",
} as const satisfies RecordColumns<"outbox_jobs">;
const TIMER_COLUMNS = {
  id: "uuid", lead_id: "uuid", run_id: "uuid", flow_id: "text", flow_version: "int", node_id: "text", due_at: "timestamptz", status: "text",
} as const satisfies RecordColumns<"timers">;
const DEAL_COLUMNS = {
  id: "uuid", lead_id: "uuid", rep_id: "text", run_id: "uuid", stage: "text", created_at: "timestamptz",
} as const satisfies RecordColumns<"deals">;

/** What one pass of the engine writes besides the leads themselves, as rows per table. */
export interface EngineEffectRows {
  /** a run seen again (a timer resumed it) gets the new path steps appended and its new status */
  runs: RecordOf<"flow_runs", typeof RUN_COLUMNS>[];
  ledger: RecordOf<"score_ledger", typeof LEDGER_COLUMNS>[];
  tierChanges: RecordOf<"tier_changes", typeof TIER_COLUMNS>[];
  /** at most one job per run and node (a replayed node adds nothing) */
  jobs: RecordOf<"outbox_jobs", typeof JOB_COLUMNS>[];
  /** at most one timer per run and node */
  timers: RecordOf<"timers", typeof TIMER_COLUMNS>[];
  deals: RecordOf<"deals", typeof DEAL_COLUMNS>[];
}

const doNothingOn = (...columns: string[]) => sql`ON CONFLICT (${sql.join(columns.map((c) => sql.id(c)))}) DO NOTHING`;

/**
 * Inserts the engine's effects in ONE statement: each table's rows are one JSON parameter, the
 * inserts chained as data-modifying WITH clauses, so a batch is one round trip whatever its size.
 */
export async function insertEngineEffects(db: Kysely<DB>, rows: EngineEffectRows): Promise<void> {
  const runConflict = sql`ON CONFLICT (${sql.id("id")}) DO UPDATE SET
    ${sql.id("path")} = ${sql.ref("flow_runs.path")} || ${sql.ref("excluded.path")},
    ${sql.id("status")} = ${sql.ref("excluded.status")}, ${sql.id("updated_at")} = ${sql.ref("excluded.updated_at")}`;
  const parts: RawBuilder<unknown>[] = [];
  const add = <T extends TableName, S extends RecordColumns<T>>(table: T, columns: S, list: readonly RecordOf<T, S>[], tail?: RawBuilder<unknown>) => {
    if (list.length > 0) parts.push(insertRecords(table, columns, list, { tail }));
  };
  add("flow_runs", RUN_COLUMNS, rows.runs, runConflict);
  add("score_ledger", LEDGER_COLUMNS, rows.ledger);
  add("tier_changes", TIER_COLUMNS, rows.tierChanges);
  add("outbox_jobs", JOB_COLUMNS, rows.jobs, doNothingOn("run_id", "node_id"));
  add("timers", TIMER_COLUMNS, rows.timers, doNothingOn("run_id", "node_id"));
  add("deals", DEAL_COLUMNS, rows.deals);
  const last = parts.pop();
  if (!last) return;
  const before = parts.map((p, n) => sql`${sql.id(`w${n}`)} AS (${p})`);
  await (before.length > 0 ? sql`WITH ${sql.join(before)} ${last}` : last).execute(db);
}
