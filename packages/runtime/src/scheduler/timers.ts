import { flowVersionExists, lockLeadsById, takeDueTimers, type DB, type Kysely } from "@leadflow/db";
import { resumeRun, type EngineEvent } from "@leadflow/engine";
import type { CompiledFlow, CompiledFlowSet } from "@leadflow/flow";
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
 * FOR UPDATE SKIP LOCKED and marked done by the same statement (which also reads their runs'
 * events), in the transaction that writes what the resumed runs did: processes ticking at once
 * take disjoint sets, each timer fires exactly once, and a process that dies mid-way leaves its
 * timers pending for the next tick. Each run continues on the flow version it started on.
 */
export async function fireDueTimers(deps: RuntimeDeps, now: Date, limit = 500): Promise<TimerReport> {
  return withRetry(() =>
    deps.db.transaction().execute(async (trx) => {
      // in lead order, then due order (as the statement returns them)
      const due = await takeDueTimers(trx, now, limit);
      if (due.length === 0) return { fired: 0, dropped: 0 };
      const leadIds = [...new Set(due.map((t) => t.lead_id))].sort();
      // leads in id order, as ingestion locks them, so the two never deadlock
      const byId = new Map((await lockLeadsById(trx, leadIds)).map((r) => [r.id, r]));
      const session = await EngineSession.open(deps, trx, now);
      await session.loadBehaviour(leadIds);
      const versions = new Map<string, CompiledFlow | undefined>();
      const withVersion = new Map<string, CompiledFlowSet>();
      let fired = 0;
      let dropped = 0;
      for (const t of due) {
        const row = byId.get(t.lead_id);
        const key = `${t.flow_id}@${t.flow_version}`;
        if (!versions.has(key)) versions.set(key, await versionOrNothing(deps.flows, trx, t.flow_id, t.flow_version));
        const flow = row ? versions.get(key) : undefined;
        if (!row || !flow) {
          dropped++;
          continue;
        }
        const event: EngineEvent | null =
          t.event_id && t.type
            ? { id: t.event_id, type: t.type, properties: t.properties ?? {}, occurredAt: new Date(t.occurred_at!).toISOString() }
            : null;
        // the paused run's own version; every other flow (trigger.score crossings it causes) as published now
        let flows = withVersion.get(key);
        if (!flows) withVersion.set(key, (flows = { ...session.ctx.flows, flows: new Map(session.ctx.flows.flows).set(flow.id, flow) }));
        const ctx = { ...session.ctx, flows };
        const lead = session.current(leadStateFromRow(row));
        session.take(
          resumeRun(ctx, lead, { runId: t.run_id, flowId: t.flow_id, version: t.flow_version, nodeId: t.node_id, triggerNodeId: t.trigger_node_id ?? undefined, event }),
        );
        fired++;
      }
      await session.commit();
      return { fired, dropped };
    }),
  );
}

/** The compiled version, or undefined when it is gone (its timers are dropped, not resumed). */
async function versionOrNothing(flows: FlowCache, db: Kysely<DB>, id: string, version: number): Promise<CompiledFlow | undefined> {
  return (await flowVersionExists(db, id, version)) ? flows.version(db, id, version) : undefined;
}
