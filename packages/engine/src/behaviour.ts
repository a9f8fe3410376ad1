import { collectBehaviourNeeds, hasBehaviourNeeds, noBehaviourNeeds, type BehaviourEvent, type BehaviourNeeds } from "@leadflow/flow";
import type { EngineEvent, FitRule, LeadState } from "./types.js";
import { parseTime } from "./iso-time.js";

/**
 * The instant behaviour fields are read as of: the event's own time when one is applied (a late
 * event is judged among what the lead had done by then), never after now; otherwise now.
 * Undefined when neither is known: the engine keeps no clock of its own.
 */
export function behaviourAsOf(event: EngineEvent | null | undefined, now: Date | undefined): number | undefined {
  const n = now?.getTime();
  const t = event ? parseTime(event.occurredAt) : Number.NaN;
  if (Number.isNaN(t)) return n;
  return n === undefined ? t : Math.min(t, n);
}

/**
 * The lead's loaded history with the event being applied added, so it counts itself and the next
 * event of the same batch (or of a merged anonymous history) sees it. A lead whose history was not
 * loaded (no rule reads it) gets none. `at` is when it counts: the event's time, never after now.
 */
export function withEvent(lead: LeadState, event: EngineEvent, at: number): BehaviourEvent[] | undefined {
  const list = lead.behaviour;
  if (!list) return undefined;
  if (list.some((e) => e.id === event.id)) return list;
  return [...list, { id: event.id, type: event.type, properties: event.properties, at }];
}

const fitNeedsCache = new WeakMap<readonly FitRule[], BehaviourNeeds>();

/** What the fit rules read of the lead's history (empty for fit on properties alone). */
export function fitBehaviourNeeds(rules: readonly FitRule[]): BehaviourNeeds {
  let needs = fitNeedsCache.get(rules);
  if (!needs) {
    needs = collectBehaviourNeeds(rules, noBehaviourNeeds());
    fitNeedsCache.set(rules, needs);
  }
  return needs;
}

export const fitReadsBehaviour = (rules: readonly FitRule[]): boolean => hasBehaviourNeeds(fitBehaviourNeeds(rules));
