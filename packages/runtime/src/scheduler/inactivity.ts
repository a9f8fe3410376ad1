import { lockCursor, lockQuietLeads, saveCursor, type DB, type Transaction } from "@leadflow/db";
import { fireInactive } from "@leadflow/engine";
import type { CompiledFlow } from "@leadflow/flow";
import type { RuntimeDeps } from "../deps.js";
import { EngineSession } from "../scoring/engine-session.js";
import { leadStateFromRow } from "../scoring/lead-state.js";
import { FIRST_ID, passInChunks, passSize, type PassOptions } from "./passes.js";

const DAY = 86_400_000;

export interface TriggerReport {
  /** leads looked at */
  leads: number;
  runs: number;
}

interface QuietCursor extends Record<string, unknown> {
  /** the quiet-since (full precision, as PostgreSQL prints it) and id of the last lead looked at */
  since: string;
  id: string;
}

/**
 * trigger.inactive: for each such node, the leads whose quiet spell (since their last engagement
 * event's own time, or creation: see isEngagementEvent) has lasted its days. Leads are walked in quiet-since order behind a cursor
 * (one row per trigger, locked while a process works on it): a lead becomes eligible once,
 * when its quiet-since passes now − days, and new engagement moves its quiet-since past the
 * cursor again. The engine's once-per-spell mark makes a repeat harmless.
 */
export async function fireInactivity(deps: RuntimeDeps, now: Date, options: PassOptions = {}): Promise<TriggerReport> {
  const { chunk, maxChunks } = passSize(options);
  const report: TriggerReport = { leads: 0, runs: 0 };
  const set = await deps.flows.current(deps.db);
  for (const { flow, nodeId } of set.inactiveTriggers) {
    await passInChunks(deps.db, report, chunk, maxChunks, (trx) => inactiveChunk(deps, trx, now, flow, nodeId, chunk));
  }
  return report;
}

async function inactiveChunk(
  deps: RuntimeDeps,
  trx: Transaction<DB>,
  now: Date,
  flow: CompiledFlow,
  nodeId: string,
  chunk: number,
): Promise<TriggerReport> {
  const node = flow.nodes.get(nodeId)?.node;
  if (node?.type !== "trigger.inactive") return { leads: 0, runs: 0 };
  const key = `inactive:${flow.id}:${nodeId}`;
  const cursor = await lockCursor<QuietCursor>(trx, key, { since: "-infinity", id: FIRST_ID });
  if (!cursor) return { leads: 0, runs: 0 };
  const cut = new Date(now.getTime() - node.config.days * DAY);
  const rows = await lockQuietLeads(trx, cut, cursor, chunk);
  if (rows.length === 0) return { leads: 0, runs: 0 };
  const session = await EngineSession.open(deps, trx, now);
  // the runs it starts may have conditions on behaviour
  await session.loadBehaviour(rows.map((r) => r.id));
  let runs = 0;
  for (const row of rows) {
    const lead = session.withHistory(leadStateFromRow(row));
    const result = fireInactive(session.ctx, lead, { flowId: flow.id, nodeId }, new Date(row.quiet_since_at).toISOString());
    const mark = `${flow.id}:${nodeId}`;
    if (result.effects.length === 0 && result.lead.flowState.inactive?.[mark] === lead.flowState.inactive?.[mark]) continue;
    session.take(result);
    runs += result.effects.filter((e) => e.kind === "run").length;
  }
  await session.commit();
  const last = rows[rows.length - 1]!;
  await saveCursor(trx, key, { since: last.quiet_since, id: last.id }, now);
  return { leads: rows.length, runs };
}
