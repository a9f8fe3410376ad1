import { deleteQueued, deleteQueuedOfLeads, lockLeadRows, takeQueuedEvents, type QueuedEvent } from "@leadflow/db";
import { applyEvent, updateLeadProperties } from "@leadflow/engine";
import type { RuntimeDeps } from "../deps.js";
import { formFields } from "../intake/form-fields.js";
import { withRetry } from "../retry.js";
import { EngineSession } from "./engine-session.js";
import { leadStateFromRow } from "./lead-state.js";

/** Events scored per transaction at most (a consumer's batch; a lead with more continues in the next). */
export const SCORE_BATCH_EVENTS = 5000;
/** Leads per scoring transaction at most. */
export const SCORE_BATCH_LEADS = 1000;

/** Event types whose scalar properties become the lead's (a form fill, a Segment identify or group). */
const IDENTIFYING_TYPES = new Set(["form_submit", "identify", "group"]);

/**
 * Scores the queued events of these leads, in queue order per lead, in one transaction: the leads
 * are locked (id order) first, so any two scorers of a lead (consumers whose leases overlapped, a
 * caller helping along) run one after the other and the second finds the events gone from the
 * queue. One engine pass per lead over its events, bulk writes, and the events leave the queue in
 * the transaction that writes their ledger rows: a crash mid-batch scores nothing twice.
 * Returns how many were scored and whether the batch was full (more may be queued).
 */
export async function scoreLeads(deps: RuntimeDeps, leadIds: readonly string[], maxEvents = SCORE_BATCH_EVENTS): Promise<{ scored: number; full: boolean }> {
  const ids = [...new Set(leadIds)].sort();
  if (ids.length === 0) return { scored: 0, full: false };
  return withRetry(() =>
    deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now();
      const inputs = await EngineSession.inputs(deps, trx);
      const rows = await lockLeadRows(trx, ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      // a lead deleted since its events were queued: nothing to score them for
      const gone = ids.filter((id) => !byId.has(id));
      if (gone.length > 0) await deleteQueuedOfLeads(trx, gone);
      const queued = await takeQueuedEvents(trx, rows.map((r) => r.id), maxEvents);
      if (queued.length === 0) return { scored: 0, full: false };
      const session = await EngineSession.open(deps, trx, now, inputs);
      await session.loadBehaviour(new Set(queued.map((q) => q.lead_id)), earliestOf(queued, now));
      for (const q of queued) {
        let lead = session.current(leadStateFromRow(byId.get(q.lead_id)!));
        // a form fill (or an identify) identifies: its fields become the lead's before flows see the event
        if (IDENTIFYING_TYPES.has(q.type)) {
          const fields = formFields(q.properties);
          if (Object.keys(fields).length > 0) lead = session.take(updateLeadProperties(session.ctx, lead, fields));
        }
        session.take(applyEvent(session.ctx, lead, { id: q.event_id, type: q.type, properties: q.properties, occurredAt: iso(q.occurred_at) }));
      }
      await session.commit();
      await deleteQueued(trx, queued.map((q) => q.seq));
      return { scored: queued.length, full: queued.length === maxEvents };
    }),
  );
}

/** Scores everything queued for these leads now (helping along in-process, rather than waiting for a consumer). */
export async function scoreQueuedFor(deps: RuntimeDeps, leadIds: readonly string[]): Promise<number> {
  let scored = 0;
  const ids = [...new Set(leadIds)].sort();
  for (let i = 0; i < ids.length; i += SCORE_BATCH_LEADS) {
    const chunk = ids.slice(i, i + SCORE_BATCH_LEADS);
    // bounded: each round removes up to a batch of these leads' events from the queue
    for (let round = 0; round < 1000; round++) {
      const r = await scoreLeads(deps, chunk);
      scored += r.scored;
      if (!r.full) break;
    }
  }
  return scored;
}

const iso = (t: Date | string): string => (t instanceof Date ? t : new Date(t)).toISOString();

/** The oldest time among the events (a late event is judged as of when it happened). */
function earliestOf(events: readonly QueuedEvent[], now: Date): Date {
  let t = now.getTime();
  for (const q of events) t = Math.min(t, new Date(q.occurred_at).getTime());
  return Number.isNaN(t) ? now : new Date(t);
}
