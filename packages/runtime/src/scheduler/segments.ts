import { Cron } from "croner";
import { lockCursor, lockLeadsAfter, saveCursor, type DB, type Transaction } from "@leadflow/db";
import { leadEvalContext, runTrigger } from "@leadflow/engine";
import type { CompiledFlow } from "@leadflow/flow";
import type { RuntimeDeps } from "../deps.js";
import { EngineSession } from "../scoring/engine-session.js";
import type { TriggerReport } from "./inactivity.js";
import { leadStateFromRow } from "../scoring/lead-state.js";
import { FIRST_ID, passInChunks, passSize, type PassOptions } from "./passes.js";
import { loadWorkspace } from "../settings/workspace.js";

interface SegmentCursor extends Record<string, unknown> {
  /** the cron occurrence this pass is for (ISO) */
  occurrence: string;
  afterId: string;
  done: boolean;
}

/** The latest instant at or before `now` that the five-field cron names, in that time zone. */
export function latestOccurrence(cron: string, timeZone: string, now: Date): Date | undefined {
  const job = new Cron(cron, { timezone: timeZone, paused: true });
  try {
    // previousRuns is strictly before its reference; a tick on the very second counts too
    return job.previousRuns(1, new Date(now.getTime() + 1000))[0];
  } finally {
    job.stop();
  }
}

/**
 * trigger.segment: at each occurrence of the node's cron (workspace time zone) a pass over all
 * leads, in id order behind a cursor, starts a run for each lead matching `where`. A flow seen
 * for the first time waits for its next occurrence; occurrences missed while no process ran
 * collapse into one pass.
 */
export async function fireSegments(deps: RuntimeDeps, now: Date, options: PassOptions = {}): Promise<TriggerReport> {
  const { chunk, maxChunks } = passSize(options);
  const report: TriggerReport = { leads: 0, runs: 0 };
  const set = await deps.flows.current(deps.db);
  if (set.segmentTriggers.length === 0) return report;
  const { timeZone } = await loadWorkspace(deps.db);
  for (const { flow, nodeId } of set.segmentTriggers) {
    const node = flow.nodes.get(nodeId)?.node;
    if (node?.type !== "trigger.segment") continue;
    const occurrence = latestOccurrence(node.config.cron, timeZone, now);
    if (!occurrence) continue;
    const at = occurrence.toISOString();
    await passInChunks(deps.db, report, chunk, maxChunks, (trx) => segmentChunk(deps, trx, now, flow, nodeId, at, chunk));
  }
  return report;
}

async function segmentChunk(
  deps: RuntimeDeps,
  trx: Transaction<DB>,
  now: Date,
  flow: CompiledFlow,
  nodeId: string,
  occurrence: string,
  chunk: number,
): Promise<TriggerReport> {
  const key = `segment:${flow.id}:${nodeId}`;
  const held = await lockCursor<SegmentCursor>(trx, key, { occurrence, afterId: FIRST_ID, done: true });
  if (!held) return { leads: 0, runs: 0 };
  const cursor: SegmentCursor = held.occurrence === occurrence ? held : { occurrence, afterId: FIRST_ID, done: false };
  if (cursor.done) return { leads: 0, runs: 0 };
  const rows = await lockLeadsAfter(trx, cursor.afterId, chunk);
  const test = flow.nodes.get(nodeId)?.test;
  const session = await EngineSession.open(deps, trx, now);
  await session.loadBehaviour(rows.map((r) => r.id));
  let runs = 0;
  for (const row of rows) {
    const lead = session.withHistory(leadStateFromRow(row));
    if (!test?.(leadEvalContext(lead, null, now))) continue;
    const result = runTrigger(session.ctx, lead, { flowId: flow.id, nodeId });
    session.take(result);
    runs += result.effects.filter((e) => e.kind === "run").length;
  }
  await session.commit();
  const next: SegmentCursor = { occurrence, afterId: rows.length ? rows[rows.length - 1]!.id : cursor.afterId, done: rows.length < chunk };
  await saveCursor(trx, key, next, now);
  return { leads: rows.length, runs };
}
