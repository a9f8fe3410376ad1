import { leadEvalContext } from "./scores.js";
import { closeSession, openSession } from "./session.js";
import { startRun } from "./run.js";
import type { EngineContext, EngineEvent, EngineResult, LeadState } from "./types.js";

function later(a: string | null, b: string): string {
  if (a === null) return b;
  const ta = new Date(a).getTime();
  const tb = new Date(b).getTime();
  if (Number.isNaN(tb)) return a;
  return Number.isNaN(ta) || tb > ta ? b : a;
}

/**
 * Applies one event to one lead: every trigger.event listening to its type whose
 * test passes (and whose flow's reentry allows) starts a run, walked at once.
 * Effects come back in causal order; the input lead and reps are not changed.
 */
export function applyEvent(ctx: EngineContext, lead: LeadState, event: EngineEvent): EngineResult {
  const s = openSession(ctx, lead, event);
  // a merged anonymous history brings old events; activity never moves backwards
  const before = s.lead.lastActivityAt;
  s.lead.lastActivityAt = later(s.lead.lastActivityAt, event.occurredAt);
  // a new event ends the quiet spell: trigger.inactive may fire again after the next one
  if (s.lead.lastActivityAt !== before) delete s.lead.flowState.inactive;
  for (const { flow, nodeId } of ctx.flows.byEventType.get(event.type) ?? []) {
    const test = flow.nodes.get(nodeId)?.test;
    // tested one by one: a run started earlier for this event may have changed what later triggers see
    if (test && !test(leadEvalContext(s.lead, event, ctx.now))) continue;
    startRun(s, flow, nodeId, 0);
  }
  return closeSession(s);
}
