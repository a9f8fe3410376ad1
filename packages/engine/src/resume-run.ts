import { closeSession, openSession } from "./session.js";
import { continueRun } from "./run.js";
import type { EngineContext, EngineResult, LeadState, ResumeTimer } from "./types.js";

/**
 * Continues a run waiting at a wait node. The flow must be present in ctx.flows
 * at the version the run started on (the caller loads that version); otherwise
 * nothing happens.
 */
export function resumeRun(ctx: EngineContext, lead: LeadState, timer: ResumeTimer): EngineResult {
  const s = openSession(ctx, lead, timer.event ?? null);
  const flow = ctx.flows.flows.get(timer.flowId);
  if (!flow || flow.version !== timer.version || !flow.nodes.has(timer.nodeId)) return closeSession(s);
  continueRun(s, flow, timer.runId, timer.nodeId, timer.triggerNodeId ?? timer.nodeId);
  return closeSession(s);
}
