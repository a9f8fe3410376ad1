import type { Effect, EngineContext, EngineEvent, EngineResult, LeadFlowState, LeadState, Rep } from "./types.js";

/**
 * The working state of one engine call and the effects so far. `lead` is the caller's object until
 * something changes it: every write goes through own() / ownProperties() / ownCategories() /
 * ownThresholds() / ownEntries() / ownFlowState(), which copy that part once (copy on write), so
 * an event that changes nothing copies nothing and the caller's objects stay untouched.
 */
export interface Session {
  ctx: EngineContext;
  /** read freely; write only through the own* helpers */
  lead: LeadState;
  /** which parts of `lead` are this session's own copies (bits of OWN) */
  owned: number;
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

const OWN = { lead: 1, properties: 2, categories: 4, flowState: 8, thresholds: 16, entries: 32 } as const;

/** Starts a session over the caller's lead and reps (nothing is copied until it changes). */
export function openSession(ctx: EngineContext, lead: LeadState, event: EngineEvent | null, creditAt = ctx.now.getTime()): Session {
  return {
    ctx,
    lead,
    owned: 0,
    // shared until an assignment changes a load (copy on write in run.ts): most events assign nobody
    reps: ctx.reps,
    rrCursor: ctx.rrCursor,
    effects: [],
    event,
    creditAt,
    // present from the start, so every session has one shape
    isoNow: undefined,
    isoCredit: undefined,
  };
}

/** The lead, its top level this session's own copy (its parts still shared until their own* call). */
export function own(s: Session): LeadState {
  if (!(s.owned & OWN.lead)) {
    s.lead = { ...s.lead };
    s.owned |= OWN.lead;
  }
  return s.lead;
}

export function ownProperties(s: Session): Record<string, unknown> {
  const lead = own(s);
  if (!(s.owned & OWN.properties)) {
    lead.properties = { ...lead.properties };
    s.owned |= OWN.properties;
  }
  return lead.properties;
}

export function ownCategories(s: Session): Record<string, number> {
  const lead = own(s);
  if (!(s.owned & OWN.categories)) {
    lead.categories = { ...lead.categories };
    s.owned |= OWN.categories;
  }
  return lead.categories;
}

/** The flow state's own top level (`inactive` may be replaced or deleted on it; thresholds and entries through their helpers). */
export function ownFlowState(s: Session): LeadFlowState {
  const lead = own(s);
  if (!(s.owned & OWN.flowState)) {
    lead.flowState = { ...lead.flowState };
    s.owned |= OWN.flowState;
  }
  return lead.flowState;
}

export function ownThresholds(s: Session): LeadFlowState["thresholds"] {
  const flowState = ownFlowState(s);
  if (!(s.owned & OWN.thresholds)) {
    flowState.thresholds = { ...flowState.thresholds };
    s.owned |= OWN.thresholds;
  }
  return flowState.thresholds;
}

export function ownEntries(s: Session): LeadFlowState["entries"] {
  const flowState = ownFlowState(s);
  if (!(s.owned & OWN.entries)) {
    flowState.entries = { ...flowState.entries };
    s.owned |= OWN.entries;
  }
  return flowState.entries;
}

// the last `now` formatted: a batch's events share one ctx.now (a Date, so its time is compared too)
let lastNow: Date | undefined;
let lastNowTime = Number.NaN;
let lastNowIso = "";

/** ctx.now as an ISO string, formatted once per session (and once for a run of sessions sharing a `now`). */
export function nowIso(s: Session): string {
  if (s.isoNow !== undefined) return s.isoNow;
  const now = s.ctx.now;
  const time = now.getTime();
  if (now !== lastNow || time !== lastNowTime) {
    lastNowIso = now.toISOString();
    lastNow = now;
    lastNowTime = time;
  }
  return (s.isoNow = lastNowIso);
}

/** The session's credit time as an ISO string, formatted once per session. */
export const creditIso = (s: Session): string =>
  (s.isoCredit ??= s.creditAt === s.ctx.now.getTime() ? nowIso(s) : new Date(s.creditAt).toISOString());

export const closeSession = (s: Session): EngineResult => ({ lead: s.lead, effects: s.effects, rrCursor: s.rrCursor, reps: s.reps });
