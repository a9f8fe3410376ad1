import type { BehaviourEvent, CompiledFlowSet, ScoringModel } from "@leadflow/flow";

// The scoring model's types are inferred from its one schema (flow/scoring-model.schema.ts).
export type { DecayPolicy, FitRule, ScoringModel, Tier } from "@leadflow/flow";

export type LeadStatus = "active" | "unsubscribed" | "bounced";

/** Per-lead memory of flows, kept on the lead row (keyed by lead id, like everything per lead). */
export interface LeadFlowState {
  /** "flowId:nodeId" of score.threshold nodes the lead has passed and not fallen below since */
  thresholds: Record<string, { atLeast: number; score: string }>;
  /** per flow: how many runs started and when the last one started (ISO) — for `reentry` */
  entries: Record<string, { count: number; lastAt: string }>;
  /**
   * "flowId:nodeId" of trigger.inactive nodes that fired in the lead's current quiet spell,
   * with the instant the spell began; cleared by the next event (a new spell may fire again)
   */
  inactive?: Record<string, string>;
}

export interface LeadState {
  id: string;
  email: string;
  properties: Record<string, unknown>;
  stage: string;
  status: LeadStatus;
  ownerId: string | null;
  fit: number;
  engagement: number;
  categories: Record<string, number>;
  tier: string;
  lastActivityAt: string | null;
  flowState: LeadFlowState;
  /** consecutive weekly snapshots whose total fell (0 when unknown) */
  weeksDown?: number;
  /**
   * The lead's events that behaviour fields read, loaded by the caller only when a published flow
   * or the fit model names one (see CompiledFlowSet.behaviour); never written back
   */
  behaviour?: BehaviourEvent[];
}

export interface EngineEvent {
  /** the stored event's id */
  id: string;
  type: string;
  properties: Record<string, unknown>;
  occurredAt: string;
}

export interface Rep {
  id: string;
  name: string;
  email: string;
  territories: string[];
  active: boolean;
  capacity: number | null;
  /** leads currently owned */
  load: number;
}

export interface EngineContext {
  now: Date;
  flows: CompiledFlowSet;
  model: ScoringModel;
  /** in a stable order (round robin walks it) */
  reps: Rep[];
  /** index into reps where round robin continues */
  rrCursor: number;
  newId: () => string;
  /** the workspace's IANA time zone, for wait windows of leads without a valid `timeZone` property; UTC when absent */
  timeZone?: string;
}

export type JobType = "email" | "notify" | "webhook";

export type Effect =
  | {
      kind: "run";
      runId: string;
      flowId: string;
      version: number;
      triggerNodeId: string;
      eventId: string | null;
      /** node ids visited, in order */
      path: string[];
      status: "completed" | "waiting";
      /** set on the continuation of a run after a wait: the wait node it resumed from */
      resumedFrom?: string;
    }
  | {
      kind: "ledger";
      runId: string | null;
      flowId: string | null;
      version: number | null;
      nodeId: string | null;
      eventId: string | null;
      /** the points the node gave (after the category cap) */
      delta: number;
      category: string | null;
      expiresAt: string | null;
      /** when the points count from: the event's time (never after now), else now */
      at: string;
      /**
       * what the entry added to the scores when processed: delta, less the decay between `at`
       * and now for a late event; 0 when its expiry had already passed (see expiredAt)
       */
      credited: number;
      /** the expiry instant, when it had already passed at processing: the entry is stored without points */
      expiredAt: string | null;
    }
  | { kind: "job"; runId: string; flowId: string; nodeId: string; jobType: JobType; payload: Record<string, unknown> }
  | {
      kind: "timer";
      runId: string;
      flowId: string;
      version: number;
      nodeId: string;
      dueAt: string;
      /** the trigger the run started at; give it back to resumeRun so the continuation names it */
      triggerNodeId?: string;
    }
  | { kind: "tier"; from: string; to: string; eventId: string | null }
  | { kind: "assign"; repId: string; runId: string; flowId: string; nodeId: string };

export interface EngineResult {
  lead: LeadState;
  effects: Effect[];
  /** round-robin cursor after this step (give it to the next call) */
  rrCursor: number;
  /** reps with load updated by assignments */
  reps: Rep[];
}

/** A due timer handed back to resumeRun (what the timer effect recorded). */
export interface ResumeTimer {
  runId: string;
  flowId: string;
  version: number;
  /** the wait node */
  nodeId: string;
  triggerNodeId?: string;
  /** the event that started the run, when kept, so conditions after the wait can still read event.* */
  event?: EngineEvent | null;
}
