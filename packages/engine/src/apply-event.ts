import { isEngagementEvent } from "./engagement.js";
import { leadEvalContext, snapshotScores } from "./scores.js";
import { closeSession, openSession, type Session } from "./session.js";
import { afterScoreChange, startRun } from "./run.js";
import { computeFit } from "./fit.js";
import { fitReadsBehaviour, withEvent } from "./behaviour.js";
import type { EngineContext, EngineEvent, EngineResult, LeadState } from "./types.js";

function later(a: string | null, b: string): string {
  if (a === null) return b;
  const ta = new Date(a).getTime();
  const tb = new Date(b).getTime();
  if (Number.isNaN(tb)) return a;
  return Number.isNaN(ta) || tb > ta ? b : a;
}

/** The instant an event's points count from: when it happened, but never later than now (a clock ahead is not the future). */
function creditTime(event: EngineEvent, now: Date): number {
  const t = new Date(event.occurredAt).getTime();
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
    const before = s.lead.lastActivityAt;
    s.lead.lastActivityAt = later(s.lead.lastActivityAt, new Date(s.creditAt).toISOString());
    // engagement after the spell began ends it: trigger.inactive may fire again after the next one
    if (s.lead.lastActivityAt !== before) delete s.lead.flowState.inactive;
  }
  countBehaviour(s, event);
  for (const { flow, nodeId } of ctx.flows.byEventType.get(event.type) ?? []) {
    const test = flow.nodes.get(nodeId)?.test;
    // tested one by one: a run started earlier for this event may have changed what later triggers see
    if (test && !test(leadEvalContext(s.lead, event, ctx.now, s.creditAt))) continue;
    startRun(s, flow, nodeId, 0);
  }
  return closeSession(s);
}

/**
 * Adds the event to the lead's loaded history (it counts itself) and, when fit rules read that
 * history ("visit frequency"), recomputes fit as of the event before flows see the lead.
 */
function countBehaviour(s: Session, event: EngineEvent): void {
  const history = withEvent(s.lead, event, s.creditAt);
  if (!history) return;
  s.lead.behaviour = history;
  if (!fitReadsBehaviour(s.ctx.model.fitRules)) return;
  const before = snapshotScores(s.lead);
  s.lead.fit = computeFit(s.ctx.model.fitRules, s.lead, s.creditAt);
  if (s.lead.fit !== before.fit) afterScoreChange(s, before, 0);
}
