import type { EvalContext } from "@leadflow/flow";
import type { EngineEvent, LeadState } from "./types.js";
import { behaviourAsOf } from "./behaviour.js";
import type { Session } from "./session.js";

/** The numbers a score crossing compares before and after a change. */
export interface ScoreSnapshot {
  fit: number;
  engagement: number;
  categories: Record<string, number>;
}

export const snapshotScores = (lead: ScoreSnapshot): ScoreSnapshot => ({
  fit: lead.fit,
  engagement: lead.engagement,
  categories: { ...lead.categories },
});

/** Reads a ScoreRef: `total`, `fit`, `engagement` or `category.<name>` (0 when the lead has none). */
export function readScore(s: ScoreSnapshot, ref: string): number {
  switch (ref) {
    case "total":
      return s.fit + s.engagement;
    case "fit":
      return s.fit;
    case "engagement":
      return s.engagement;
    default:
      return ref.startsWith("category.") ? (s.categories[ref.slice("category.".length)] ?? 0) : 0;
  }
}

/**
 * The scores before a change, for afterScoreChange, which reads them only to decide trigger.score
 * crossings: without a trigger.score in the flows nothing is copied.
 */
export function scoresBefore(s: Pick<Session, "ctx" | "lead">): ScoreSnapshot {
  return s.ctx.flows.scoreTriggers.length > 0 ? snapshotScores(s.lead) : NO_SNAPSHOT;
}

const NO_SNAPSHOT: ScoreSnapshot = Object.freeze({ fit: 0, engagement: 0, categories: Object.freeze({}) as Record<string, number> });

const DAY = 86_400_000;

/**
 * What conditions see of a lead (and the event being applied, if any), as of `now` when given.
 * Behaviour fields read the loaded history as of `asOf` (a session's creditAt: the event's time
 * for an applied event, now for a resumed run); without it, as of the event, else now.
 */
export function leadEvalContext(lead: LeadState, event?: EngineEvent | null, now?: Date, asOf?: number): EvalContext {
  const ctx: EvalContext = {
    lead: { email: lead.email, stage: lead.stage, status: lead.status, properties: lead.properties },
    scores: { total: lead.fit + lead.engagement, fit: lead.fit, engagement: lead.engagement, categories: lead.categories },
    tier: lead.tier,
    trend: { weeksDown: lead.weeksDown ?? 0 },
  };
  if (now && lead.lastActivityAt !== null) {
    ctx.lead.daysSinceActivity = (now.getTime() - new Date(lead.lastActivityAt).getTime()) / DAY;
  }
  if (event) ctx.event = { type: event.type, properties: event.properties };
  const at = asOf ?? behaviourAsOf(event, now);
  if (lead.behaviour && at !== undefined) ctx.behaviour = { asOf: at, events: lead.behaviour };
  return ctx;
}
