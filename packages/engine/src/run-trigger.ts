import { closeSession, openSession, ownFlowState } from "./session.js";
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

/**
 * trigger.inactive for one lead: starts the flow when the lead has been quiet (no engagement
 * event since `quietSince`, its last activity or creation) for the node's days, once per quiet
 * spell — the mark in flowState.inactive stays until engagement after it (see applyEvent). The mark is
 * set even when reentry forbids the run, so a spell is judged once.
 */
export function fireInactive(
  ctx: EngineContext,
  lead: LeadState,
  trigger: { flowId: string; nodeId: string },
  quietSince: string,
): EngineResult {
  const s = openSession(ctx, lead, null);
  const flow = ctx.flows.flows.get(trigger.flowId);
  const node = flow?.nodes.get(trigger.nodeId)?.node;
  if (!flow || node?.type !== "trigger.inactive") return closeSession(s);
  const key = `${flow.id}:${node.id}`;
  if (s.lead.flowState.inactive?.[key] !== undefined) return closeSession(s);
  if (ctx.now.getTime() - new Date(quietSince).getTime() < node.config.days * 86_400_000) return closeSession(s);
  const flowState = ownFlowState(s);
  flowState.inactive = { ...flowState.inactive, [key]: quietSince };
  startRun(s, flow, node.id, 0);
  return closeSession(s);
}
