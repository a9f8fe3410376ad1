import { closeSession, openSession } from "./session.js";
import { setProperties } from "./run.js";
import type { EngineContext, EngineResult, LeadState } from "./types.js";

/** Changes lead properties outside a flow (API upsert, import): fit is recomputed and crossings fire. */
export function updateLeadProperties(ctx: EngineContext, lead: LeadState, properties: Record<string, unknown>): EngineResult {
  const s = openSession(ctx, lead, null);
  setProperties(s, properties, 0);
  return closeSession(s);
}
