import type { Condition } from "./condition.schema.js";
import type { EvalContext } from "./compiled.types.js";

/**
 * Behaviour fields read the lead's own events:
 * - `behaviour.count.<type>.<N>d`: events of that type in the N days up to the evaluation
 *   (the event being applied included), optionally only those matching the condition's `where`;
 * - `behaviour.daysSince.<type>`: days (fractional) since the lead's last event of that type;
 *   missing when it never had one.
 *
 * The evaluation instant is the event's own time when an event is applied, otherwise the
 * engine's `now` (segments, timers, decay).
 */
export type BehaviourField =
  | { kind: "count"; type: string; days: number }
  | { kind: "daysSince"; type: string };

/** Longest window a count may look back: the runtime loads at most this much history. */
export const MAX_BEHAVIOUR_DAYS = 730;

export const BEHAVIOUR_FIELD = /^behaviour\.(?:count\.([\w:-]+)\.(\d{1,4})d|daysSince\.([\w:-]+))$/;

export function parseBehaviourField(field: string): BehaviourField | undefined {
  const m = BEHAVIOUR_FIELD.exec(field);
  if (!m) return undefined;
  if (m[1] !== undefined) return { kind: "count", type: m[1], days: Number(m[2]) };
  return { kind: "daysSince", type: m[3]! };
}

/** One of the lead's events as behaviour fields see it; `at` in epoch milliseconds. */
export interface BehaviourEvent {
  id: string;
  type: string;
  properties: Record<string, unknown>;
  at: number;
}

/** What the runtime must load for a set of rules: per event type, how far back. */
export interface BehaviourNeeds {
  /** type -> longest window counted, in days */
  counts: Map<string, number>;
  /** types whose last occurrence is read, however old */
  latest: Set<string>;
}

export const noBehaviourNeeds = (): BehaviourNeeds => ({ counts: new Map(), latest: new Set() });

/** Adds what these conditions read to `needs` (nothing for conditions without behaviour fields). */
export function collectBehaviourNeeds(conditions: readonly Pick<Condition, "field">[], needs: BehaviourNeeds): BehaviourNeeds {
  for (const c of conditions) {
    const f = parseBehaviourField(c.field);
    if (!f) continue;
    if (f.kind === "count") needs.counts.set(f.type, Math.max(needs.counts.get(f.type) ?? 0, f.days));
    else needs.latest.add(f.type);
  }
  return needs;
}

export const hasBehaviourNeeds = (n: BehaviourNeeds): boolean => n.counts.size > 0 || n.latest.size > 0;

const DAY = 86_400_000;

type EventTest = (ctx: EvalContext) => boolean;

/**
 * The getter of a behaviour field. `where` is compiled by the caller (it reads `event.*`) and
 * tested against each counted event in turn.
 */
export function behaviourGetter(f: BehaviourField, where: EventTest | undefined): (ctx: EvalContext) => unknown {
  if (f.kind === "daysSince") {
    return (ctx) => {
      const b = ctx.behaviour;
      if (!b) return undefined;
      let last = -Infinity;
      for (const e of b.events) if (e.type === f.type && e.at <= b.asOf && e.at > last) last = e.at;
      return last === -Infinity ? undefined : (b.asOf - last) / DAY;
    };
  }
  const span = f.days * DAY;
  // A count is read again for every event of a session (a batch, a merged history), over the same
  // loaded events (up to 2,000 a type, each with up to 32 KiB of a visitor's properties): testing
  // each event's `where` once, not once per read, keeps a batch linear in its events. `where` reads
  // only the event (the schema allows event fields alone), and events are never changed, so the
  // answer per event object holds for as long as the object lives.
  const passes = where ? new WeakMap<BehaviourEvent, boolean>() : undefined;
  return (ctx) => {
    const b = ctx.behaviour;
    if (!b) return 0;
    const from = b.asOf - span;
    let n = 0;
    for (const e of b.events) {
      if (e.type !== f.type || e.at <= from || e.at > b.asOf) continue;
      if (where && passes) {
        let pass = passes.get(e);
        if (pass === undefined) {
          pass = where(eventOnly(ctx, e));
          passes.set(e, pass);
        }
        if (!pass) continue;
      }
      n++;
    }
    return n;
  };
}

function eventOnly(ctx: EvalContext, e: BehaviourEvent): EvalContext {
  return { ...ctx, event: { type: e.type, properties: e.properties } };
}
