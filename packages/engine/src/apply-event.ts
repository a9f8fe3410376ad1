import { isEngagementEvent } from "./engagement.js";
import { parseTime } from "./iso-time.js";
import { leadEvalContext, snapshotScores } from "./scores.js";
import { closeSession, creditIso, openSession, own, ownFlowState, type Session } from "./session.js";
import { afterScoreChange, startRun } from "./run.js";
import { computeFit } from "./fit.js";
import { fitReadsBehaviour, withEvent } from "./behaviour.js";
import type { EvalContext, EventTriggerRef } from "@leadflow/flow";
import type { EngineContext, EngineEvent, EngineResult, LeadState } from "./types.js";

/** Whether `at` (epoch ms) is later than the lead's last activity (or there is none, or it does not parse). */
function movesActivity(last: string | null, at: number): boolean {
  if (last === null) return true;
  const t = parseTime(last);
  return Number.isNaN(t) || at > t;
}

/** The instant an event's points count from: when it happened, but never later than now (a clock ahead is not the future). */
function creditTime(event: EngineEvent, now: Date): number {
  const t = parseTime(event.occurredAt);
  return Number.isNaN(t) ? now.getTime() : Math.min(t, now.getTime());
}

/**
 * Applies one event to one lead: every trigger.event listening to its type whose
 * test passes (and whose flow's reentry allows) starts a run, walked at once.
 * Points it gives count from the event's time (see addPoints); runs, waits and
 * reentry run now. Effects come back in causal order; the input lead and reps are not changed.
 */
export function applyEvent(ctx: EngineContext, lead: LeadState, event: EngineEvent): EngineResult {
  const s = openSession(ctx, lead, event, creditTime(event, ctx.now));
  if (isEngagementEvent(event.type, event.properties)) {
    // a merged anonymous history or a late event brings old times; activity never moves backwards
    if (movesActivity(s.lead.lastActivityAt, s.creditAt)) {
      own(s).lastActivityAt = creditIso(s);
      // engagement after the spell began ends it: trigger.inactive may fire again after the next one
      if (s.lead.flowState.inactive !== undefined) delete ownFlowState(s).inactive;
    }
  }
  countBehaviour(s, event);
  const triggers = ctx.flows.byEventType.get(event.type);
  if (triggers) startMatching(s, event, triggers);
  return closeSession(s);
}

const NO_LEAD: EvalContext["lead"] = Object.freeze({ email: "", stage: "", status: "", properties: Object.freeze({}) });
const NO_SCORES: EvalContext["scores"] = Object.freeze({ total: 0, fit: 0, engagement: 0, categories: Object.freeze({}) });

/**
 * Tests the event type's triggers in order and starts a run for each that passes. Tests that read
 * only the event share one context for the whole event; the lead's context is built once and again
 * only after a run started, since a run may change what later triggers see.
 */
function startMatching(s: Session, event: EngineEvent, triggers: readonly EventTriggerRef[]): void {
  let eventCtx: EvalContext | undefined;
  let leadCtx: EvalContext | undefined;
  const plan = s.ctx.flows.plans.get(event.type);
  plan?.load(event.properties);
  for (let i = 0; i < triggers.length; i++) {
    const t = triggers[i]!;
    if (plan && t.planTest) {
      // a run of an earlier trigger does not change the event, so the plan's slots stay valid
      if (t.planTest(plan) && startRun(s, t.flow, t.nodeId, 0, t.scoreOnly)) leadCtx = undefined;
      continue;
    }
    const ctx = t.eventOnly
      ? (eventCtx ??= { event, lead: NO_LEAD, scores: NO_SCORES, tier: "" })
      : (leadCtx ??= leadEvalContext(s.lead, event, s.ctx.now, s.creditAt));
    if (!t.test(ctx)) continue;
    if (startRun(s, t.flow, t.nodeId, 0, t.scoreOnly)) leadCtx = undefined;
  }
}

/**
 * Adds the event to the lead's loaded history (it counts itself) and, when fit rules read that
 * history ("visit frequency"), recomputes fit as of the event before flows see the lead.
 */
function countBehaviour(s: Session, event: EngineEvent): void {
  const history = withEvent(s.lead, event, s.creditAt);
  if (!history) return;
  if (history !== s.lead.behaviour) own(s).behaviour = history;
  if (!fitReadsBehaviour(s.ctx.model.fitRules)) return;
  const before = snapshotScores(s.lead);
  const fit = computeFit(s.ctx.model.fitRules, s.lead, s.creditAt);
  if (fit !== s.lead.fit) own(s).fit = fit;
  if (s.lead.fit !== before.fit) afterScoreChange(s, before, 0);
}
