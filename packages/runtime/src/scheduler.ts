import type { RuntimeDeps } from "./deps.js";
import { deliverDue, type DeliveryReport } from "./outbox.js";

export interface TickReport {
  now: string;
  outbox: DeliveryReport;
}

/**
 * One scheduler pass as of `now`: everything due is claimed in the database, so any number of
 * processes may tick at once. Bounded, so one tick never runs forever; what is left waits for the next.
 */
export async function tick(deps: RuntimeDeps, now: Date, maxBatches = 50): Promise<TickReport> {
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
  return { now: now.toISOString(), outbox };
}
