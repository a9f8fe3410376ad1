import {
  claimDueTimers,
  findRunsWithEvents,
  flowVersionExists,
  lockLeadsById,
  markTimersDone,
  type DB,
  type Kysely,
} from "@leadflow/db";
import { resumeRun, type EngineEvent } from "@leadflow/engine";
import type { CompiledFlow } from "@leadflow/flow";
import type { RuntimeDeps } from "../deps.js";
import { EngineSession } from "../scoring/engine-session.js";
import type { FlowCache } from "../flows.js";
import { leadStateFromRow } from "../scoring/lead-state.js";
import { withRetry } from "../retry.js";

export interface TimerReport {
  fired: number;
  /** timers whose flow version is gone (nothing to resume) */
  dropped: number;
}

/**
 * Resumes up to `limit` due timers in one transaction. The timers are claimed with
 * FOR UPDATE SKIP LOCKED, so processes ticking at once take disjoint sets, and marked done in
 * the transaction that writes what the resumed runs did: each timer fires exactly once, and a
 * process that dies mid-way leaves its timers pending for the next tick. Each run continues
 * on the flow version it started on.
 */
export async function fireDueTimers(deps: RuntimeDeps, now: Date, limit = 200): Promise<TimerReport> {
  return withRetry(() =>
    deps.db.transaction().execute(async (trx) => {
      const due = await claimDueTimers(trx, now, limit);
      if (due.length === 0) return { fired: 0, dropped: 0 };
      const leadIds = [...new Set(due.map((t) => t.lead_id))].sort();
      // leads in id order, as ingestion locks them, so the two never deadlock
      const rows = await lockLeadsById(trx, leadIds);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const runs = await findRunsWithEvents(trx, [...new Set(due.map((t) => t.run_id))]);
      const runById = new Map(runs.map((r) => [r.id, r]));
      const session = await EngineSession.open(deps, trx, now);
      await session.loadBehaviour(leadIds);
      const versions = new Map<string, CompiledFlow | undefined>();
      let fired = 0;
      let dropped = 0;
      const ordered = [...due].sort((a, b) => (a.lead_id < b.lead_id ? -1 : a.lead_id > b.lead_id ? 1 : new Date(a.due_at).getTime() - new Date(b.due_at).getTime()));
      for (const t of ordered) {
        const row = byId.get(t.lead_id);
        const key = `${t.flow_id}@${t.flow_version}`;
        if (!versions.has(key)) versions.set(key, await versionOrNothing(deps.flows, trx, t.flow_id, t.flow_version));
        const flow = row ? versions.get(key) : undefined;
        if (!row || !flow) {
          dropped++;
          continue;
        }
        const run = runById.get(t.run_id);
        const event: EngineEvent | null =
          run?.event_id && run.type
            ? { id: run.event_id, type: run.type, properties: run.properties ?? {}, occurredAt: new Date(run.occurred_at!).toISOString() }
            : null;
        // the paused run's own version; every other flow (trigger.score crossings it causes) as published now
        const current = session.ctx.flows;
        const ctx = { ...session.ctx, flows: { ...current, flows: new Map(current.flows).set(flow.id, flow) } };
        const lead = session.current(leadStateFromRow(row));
        session.take(
          resumeRun(ctx, lead, { runId: t.run_id, flowId: t.flow_id, version: t.flow_version, nodeId: t.node_id, triggerNodeId: run?.trigger_node_id, event }),
        );
        fired++;
      }
      await session.commit();
      await markTimersDone(trx, due.map((t) => t.id), now);
      return { fired, dropped };
    }),
  );
}

/** The compiled version, or undefined when it is gone (its timers are dropped, not resumed). */
async function versionOrNothing(flows: FlowCache, db: Kysely<DB>, id: string, version: number): Promise<CompiledFlow | undefined> {
  return (await flowVersionExists(db, id, version)) ? flows.version(db, id, version) : undefined;
}
