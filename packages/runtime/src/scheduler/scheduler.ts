import type { RuntimeDeps } from "../deps.js";
import { applyDecay, type DecayReport } from "./decay.js";
import { fireInactivity, type TriggerReport } from "./inactivity.js";
import { deliverDue, type DeliveryReport } from "../delivery/outbox.js";
import { fireSegments } from "./segments.js";
import { takeSnapshots } from "./snapshots.js";
import { fireDueTimers, type TimerReport } from "./timers.js";

export interface TickReport {
  now: string;
  timers: TimerReport;
  decay: DecayReport;
  inactive: TriggerReport;
  segments: TriggerReport;
  snapshots: { leads: number };
  outbox: DeliveryReport;
}

export interface TickOptions {
  /** outbox claims (100 jobs each) and timer claims per tick */
  maxBatches?: number;
  /** leads per transaction in decay, triggers and snapshots */
  chunk?: number;
  /** chunks per pass per tick: bounds a tick's work; what is left waits for the next tick */
  maxChunks?: number;
  /** how often a lead's decay is brought up to date (default a day) */
  decayEveryMs?: number;
}

/**
 * One scheduler pass as of `now`: resume due timers, apply decay (and the crossings it causes),
 * fire trigger.inactive and trigger.segment, take the week's snapshots, deliver the outbox.
 * Every piece is claimed in the database (FOR UPDATE SKIP LOCKED), so any number of processes
 * may tick at once and each piece is done once. Bounded, so one tick never runs forever; what
 * is left waits for the next.
 */
export async function tick(deps: RuntimeDeps, now: Date, options: TickOptions = {}): Promise<TickReport> {
  const maxBatches = options.maxBatches ?? 50;
  const passOptions = { chunk: options.chunk, maxChunks: options.maxChunks };
  const timers: TimerReport = { fired: 0, dropped: 0 };
  for (let i = 0; i < maxBatches; i++) {
    const r = await fireDueTimers(deps, now);
    timers.fired += r.fired;
    timers.dropped += r.dropped;
    if (r.fired + r.dropped === 0) break;
  }
  const decay = await applyDecay(deps, now, { ...passOptions, everyMs: options.decayEveryMs });
  const inactive = await fireInactivity(deps, now, passOptions);
  const segments = await fireSegments(deps, now, passOptions);
  const snapshots = await takeSnapshots(deps, now, passOptions);
  const outbox: DeliveryReport = { sent: 0, skipped: 0, retried: 0, dead: 0, deferred: 0 };
  for (let i = 0; i < maxBatches; i++) {
    const r = await deliverDue(deps, now);
    outbox.sent += r.sent;
    outbox.skipped += r.skipped;
    outbox.retried += r.retried;
    outbox.dead += r.dead;
    outbox.deferred += r.deferred;
    if (r.sent + r.skipped + r.retried + r.dead + r.deferred === 0) break;
  }
  return { now: now.toISOString(), timers, decay, inactive, segments, snapshots, outbox };
}
