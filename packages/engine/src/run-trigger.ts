import { closeSession, openSession } from "./session.js";
import { startRun } from "./run.js";
import type { EngineContext, EngineEvent, EngineResult, LeadState } from "./types.js";

/**
 * Starts a flow at a given trigger for a lead, for triggers the scheduler fires
 * (trigger.inactive, trigger.segment). Reentry applies; the caller decides whether
 * the trigger matches.
 */
export function runTrigger(
  ctx: EngineContext,
  lead: LeadState,
  trigger: { flowId: string; nodeId: string },
  event: EngineEvent | null = null,
): EngineResult {
  const s = openSession(ctx, lead, event);
  const flow = ctx.flows.flows.get(trigger.flowId);
  if (flow?.nodes.has(trigger.nodeId)) startRun(s, flow, trigger.nodeId, 0);
  return closeSession(s);
}
