import type { Effect, EngineContext, EngineEvent, EngineResult, LeadState, Rep } from "./types.js";

/** The working state of one engine call: copies of the inputs, changed in place, and the effects so far. */
export interface Session {
  ctx: EngineContext;
  lead: LeadState;
  reps: Rep[];
  rrCursor: number;
  effects: Effect[];
  /** the event being applied; null for timers, decay and property changes */
  event: EngineEvent | null;
  /** epoch ms that points written in this session count from: the event's time for an event, else now */
  creditAt: number;
  /** ctx.now and creditAt as ISO strings, made once per session when first needed (see nowIso, creditIso) */
  isoNow?: string;
  isoCredit?: string;
}

/** ctx.now as an ISO string, formatted once per session. */
export const nowIso = (s: Session): string => (s.isoNow ??= s.ctx.now.toISOString());

/** The session's credit time as an ISO string, formatted once per session. */
export const creditIso = (s: Session): string =>
  (s.isoCredit ??= s.creditAt === s.ctx.now.getTime() ? nowIso(s) : new Date(s.creditAt).toISOString());

/** Copies everything the engine may change, so callers' objects stay untouched. */
export function openSession(ctx: EngineContext, lead: LeadState, event: EngineEvent | null, creditAt = ctx.now.getTime()): Session {
  return {
    ctx,
    lead: {
      ...lead,
      properties: { ...lead.properties },
      categories: { ...lead.categories },
      flowState: {
        thresholds: { ...lead.flowState.thresholds },
        entries: { ...lead.flowState.entries },
        ...(lead.flowState.inactive ? { inactive: { ...lead.flowState.inactive } } : {}),
      },
    },
    // shared until an assignment changes a load (copy on write in run.ts): most events assign nobody
    reps: ctx.reps,
    rrCursor: ctx.rrCursor,
    effects: [],
    event,
    creditAt,
  };
}

export const closeSession = (s: Session): EngineResult => ({ lead: s.lead, effects: s.effects, rrCursor: s.rrCursor, reps: s.reps });
