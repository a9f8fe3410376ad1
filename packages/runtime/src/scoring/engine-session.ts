import type { Transaction } from "kysely";
import type { DB } from "@leadflow/db";
import type { Effect, EngineContext, EngineResult, LeadState, Rep } from "@leadflow/engine";
import type { BehaviourEvent, CompiledFlowSet } from "@leadflow/flow";
import type { RuntimeDeps } from "../deps.js";
import { repsForEngine } from "../settings/reps.js";
import { readSettings, saveSetting, Settings } from "../settings/settings-store.js";
import { updateLeads, writeEffects } from "./lead-writes.js";
import { behaviourNeedsOf, loadBehaviour } from "./behaviour.js";

/**
 * The engine's inputs for one transaction (published flows, scoring model, reps) and the
 * accumulation of its results, written in bulk by `commit`.
 */
export class EngineSession {
  private leads = new Map<string, LeadState>();
  private effects = new Map<string, Effect[]>();
  /** each lead's status as first given to `current` (the engine leaves status alone; rewriting it fires a trigger) */
  private statusAtStart = new Map<string, string>();
  /** the histories behaviour rules read, for the leads loadBehaviour was given */
  private behaviour = new Map<string, BehaviourEvent[]>();

  private constructor(
    readonly ctx: EngineContext,
    private readonly trx: Transaction<DB>,
    private readonly deps: RuntimeDeps,
    private readonly startCursor: number,
    private readonly cursorExisted: boolean,
  ) {}

  /**
   * The inputs that do not depend on the leads' rows: published flows and, when a flow assigns,
   * the reps. A caller holding row locks can read them before taking the locks.
   */
  static async inputs(deps: RuntimeDeps, trx: Transaction<DB>): Promise<{ flows: CompiledFlowSet; reps: Rep[] }> {
    const flows = await deps.flows.current(trx);
    return { flows, reps: assigns(flows) ? await repsForEngine(trx, flows) : [] };
  }

  /**
   * Reads what the engine needs: the published flows and reps (unless given, see `inputs`) and
   * the settings it uses (scoring model, workspace, round-robin cursor) in one query.
   */
  static async open(
    deps: RuntimeDeps,
    trx: Transaction<DB>,
    now: Date,
    preloaded?: { flows: CompiledFlowSet; reps: Rep[] },
  ): Promise<EngineSession> {
    const { flows, reps } = preloaded ?? (await EngineSession.inputs(deps, trx));
    const [model, workspace, cursor] = await readSettings(trx, [Settings.scoringModel, Settings.workspace, Settings.rrCursor]);
    // the cursor matters only when a flow assigns (then its claim at commit checks it did not move)
    const storedCursor = assigns(flows) ? cursor : undefined;
    const startCursor = storedCursor ?? 0;
    const ctx: EngineContext = { now, flows, model, reps, rrCursor: startCursor, newId: deps.newId, timeZone: workspace.timeZone };
    return new EngineSession(ctx, trx, deps, startCursor, storedCursor !== undefined);
  }

  /**
   * Loads the history behaviour rules read (behaviour.count, behaviour.daysSince in flows and fit
   * rules) for these leads, in one query; nothing when no rule reads any. `earliest` is the oldest
   * instant a rule will be read as of (a late event's time); now by default.
   */
  async loadBehaviour(leadIds: Iterable<string>, earliest: Date = this.ctx.now): Promise<void> {
    const ids = [...leadIds].filter((id) => !this.behaviour.has(id));
    const from = earliest.getTime() < this.ctx.now.getTime() ? earliest : this.ctx.now;
    const loaded = await loadBehaviour(this.trx, behaviourNeedsOf(this.ctx.flows, this.ctx.model), ids, from);
    for (const [id, events] of loaded) this.behaviour.set(id, events);
  }

  /** The lead with its loaded history attached (as given when none was loaded for it). */
  withHistory(lead: LeadState): LeadState {
    if (lead.behaviour) return lead;
    const history = this.behaviour.get(lead.id);
    return history ? { ...lead, behaviour: history } : lead;
  }

  /** The lead as this session last left it (or as given, with its loaded history, the first time). */
  current(lead: LeadState): LeadState {
    const have = this.leads.get(lead.id);
    if (have) return have;
    if (!this.statusAtStart.has(lead.id)) this.statusAtStart.set(lead.id, lead.status);
    return this.withHistory(lead);
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
    const leads = [...this.leads.values()];
    const statusKept = new Set(leads.filter((l) => this.statusAtStart.get(l.id) === l.status).map((l) => l.id));
    await updateLeads(this.trx, leads, now, { ...options, statusKept });
    await writeEffects(this.trx, [...this.effects].map(([leadId, effects]) => ({ leadId, effects })), now, this.deps.newId);
  }

  /**
   * The round-robin cursor is read without a lock (most transactions assign nobody) and written
   * only if nobody moved it meanwhile; otherwise the transaction is retried (see withRetry).
   */
  private async claimCursor(): Promise<void> {
    const unmoved = this.cursorExisted ? { when: "current", value: this.startCursor } as const : { when: "absent" } as const;
    if ((await saveSetting(this.trx, Settings.rrCursor, this.ctx.rrCursor, unmoved)) !== undefined) return;
    throw new ConcurrentUpdate("round-robin cursor moved by another transaction");
  }
}

/** Whether a published flow has a sales.assign node (then the engine needs reps and the round-robin cursor). */
function assigns(flows: CompiledFlowSet): boolean {
  return [...flows.flows.values()].some((f) => [...f.nodes.values()].some((n) => n.node.type === "sales.assign"));
}

export class ConcurrentUpdate extends Error {
  readonly retryable = true;
}
