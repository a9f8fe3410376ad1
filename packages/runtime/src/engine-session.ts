import { sql, type Transaction } from "kysely";
import type { DB } from "@leadflow/db";
import type { Effect, EngineContext, EngineResult, LeadState } from "@leadflow/engine";
import type { RuntimeDeps } from "./deps.js";
import type { FlowCache } from "./flows.js";
import { loadScoringModel } from "./scoring-model.js";
import { repsForEngine } from "./reps.js";
import { updateLeads, writeEffects } from "./lead-writes.js";
import { loadWorkspace } from "./workspace.js";

/**
 * The engine's inputs for one transaction (published flows, scoring model, reps) and the
 * accumulation of its results, written in bulk by `commit`.
 */
export class EngineSession {
  private leads = new Map<string, LeadState>();
  private effects = new Map<string, Effect[]>();

  private constructor(
    readonly ctx: EngineContext,
    private readonly trx: Transaction<DB>,
    private readonly deps: RuntimeDeps,
    private readonly startCursor: number,
    private readonly cursorExisted: boolean,
  ) {}

  static async open(deps: RuntimeDeps, flowCache: FlowCache, trx: Transaction<DB>, now: Date): Promise<EngineSession> {
    const [model, flows, workspace] = await Promise.all([loadScoringModel(trx), flowCache.current(trx), loadWorkspace(trx)]);
    const needsReps = [...flows.flows.values()].some((f) => [...f.nodes.values()].some((n) => n.node.type === "sales.assign"));
    const cursorRow = needsReps
      ? await trx.selectFrom("settings").select("value").where("key", "=", "rr_cursor").executeTakeFirst()
      : undefined;
    const startCursor = typeof cursorRow?.value === "number" ? cursorRow.value : 0;
    const ctx: EngineContext = { now, flows, model, reps: needsReps ? await repsForEngine(trx) : [], rrCursor: startCursor, newId: deps.newId, timeZone: workspace.timeZone };
    return new EngineSession(ctx, trx, deps, startCursor, cursorRow !== undefined);
  }

  /** The lead as this session last left it (or as given, the first time). */
  current(lead: LeadState): LeadState {
    return this.leads.get(lead.id) ?? lead;
  }

  /** Keeps an engine step's result; the next step of the same lead starts from it. */
  take(result: EngineResult): LeadState {
    this.ctx.rrCursor = result.rrCursor;
    this.ctx.reps = result.reps;
    this.leads.set(result.lead.id, result.lead);
    const list = this.effects.get(result.lead.id) ?? [];
    list.push(...result.effects);
    this.effects.set(result.lead.id, list);
    return result.lead;
  }

  /** Writes the leads and effects; `decayedAt` as in updateLeads. */
  async commit(options: { decayedAt?: Date } = {}): Promise<void> {
    const now = this.ctx.now;
    if (this.ctx.rrCursor !== this.startCursor) await this.claimCursor();
    await updateLeads(this.trx, [...this.leads.values()], now, options);
    await writeEffects(this.trx, [...this.effects].map(([leadId, effects]) => ({ leadId, effects })), now, this.deps.newId);
  }

  /**
   * The round-robin cursor is read without a lock (most transactions assign nobody) and written
   * only if nobody moved it meanwhile; otherwise the transaction is retried (see withRetry).
   */
  private async claimCursor(): Promise<void> {
    const value = JSON.stringify(this.ctx.rrCursor);
    if (!this.cursorExisted) {
      const r = await this.trx
        .insertInto("settings")
        .values({ key: "rr_cursor", value })
        .onConflict((oc) => oc.column("key").doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 1) return;
    } else {
      const r = await this.trx
        .updateTable("settings")
        .set({ value, updated_at: sql`now()` })
        .where("key", "=", "rr_cursor")
        .where(sql`value`, "=", sql`${JSON.stringify(this.startCursor)}::jsonb`)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) return;
    }
    throw new ConcurrentUpdate("round-robin cursor moved by another transaction");
  }
}

export class ConcurrentUpdate extends Error {
  readonly retryable = true;
}
