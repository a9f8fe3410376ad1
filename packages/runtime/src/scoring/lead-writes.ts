/**
 * Writes what the engine decided, in bulk (one statement per table per batch): the leads'
 * engine-owned columns and the effects (runs, ledger, tier changes, outbox jobs, timers, deals).
 * This file maps the engine's shapes to rows; the SQL is in @leadflow/db's repositories.
 */
import { insertEngineEffects, updateLeadPatches, type DB, type EngineEffectRows, type Kysely } from "@leadflow/db";
import { assertNever } from "@leadflow/flow";
import type { Effect, LeadState } from "@leadflow/engine";
import { leadPatch } from "./lead-state.js";

/**
 * Writes many leads' engine-owned columns. `decayedAt` (the decay pass) moves decayed_at forward
 * in the same statement. `statusKept`: ids of leads whose status the caller did not change; their
 * status column is left out of the SET list, so the status trigger does not fire for them.
 */
export async function updateLeads(
  db: Kysely<DB>,
  leads: LeadState[],
  now: Date,
  options: { decayedAt?: Date; statusKept?: ReadonlySet<string> } = {},
): Promise<void> {
  const kept = options.statusKept;
  const keptLeads = kept ? leads.filter((l) => kept.has(l.id)) : [];
  const changed = kept ? leads.filter((l) => !kept.has(l.id)) : leads;
  const { decayedAt } = options;
  if (keptLeads.length > 0) await updateLeadPatches(db, keptLeads.map(leadPatch), now, { decayedAt, keepStatus: true });
  if (changed.length > 0) await updateLeadPatches(db, changed.map(leadPatch), now, { decayedAt });
}

export interface EffectsOfLead {
  leadId: string;
  effects: Effect[];
}

/** Persists what the engine decided, in the caller's transaction: one round trip, no per-effect trips. */
export async function writeEffects(db: Kysely<DB>, batches: EffectsOfLead[], now: Date, newId: () => string): Promise<void> {
  const rows: EngineEffectRows = { runs: [], ledger: [], tierChanges: [], jobs: [], timers: [], deals: [] };
  const at = now.toISOString();
  for (const { leadId, effects } of batches) for (const e of effects) addEffect(rows, leadId, e, at, newId);
  await insertEngineEffects(db, rows);
}

function addEffect(rows: EngineEffectRows, leadId: string, e: Effect, at: string, newId: () => string): void {
  switch (e.kind) {
    case "run":
      rows.runs.push({
        id: e.runId, lead_id: leadId, flow_id: e.flowId, flow_version: e.version, trigger_node_id: e.triggerNodeId,
        event_id: e.eventId, path: e.path, status: e.status, started_at: at, updated_at: at,
      });
      return;
    case "ledger":
      rows.ledger.push(...ledgerRows(leadId, e, at));
      return;
    case "tier":
      rows.tierChanges.push({ lead_id: leadId, from_tier: e.from, to_tier: e.to, event_id: e.eventId, at });
      return;
    case "job":
      rows.jobs.push({
        id: newId(), lead_id: leadId, run_id: e.runId, flow_id: e.flowId, node_id: e.nodeId, job_type: e.jobType,
        payload: e.payload, status: "pending", next_attempt_at: at,
      });
      return;
    case "timer":
      rows.timers.push({
        id: newId(), lead_id: leadId, run_id: e.runId, flow_id: e.flowId, flow_version: e.version, node_id: e.nodeId,
        due_at: e.dueAt, status: "pending",
      });
      return;
    case "assign":
      rows.deals.push({ id: newId(), lead_id: leadId, rep_id: e.repId, run_id: e.runId, stage: "new", created_at: at });
      return;
    default:
      assertNever(e, "effect");
  }
}

/**
 * A flow entry at the event's time, and for a late one what it had lost by the time it was
 * processed, in the same run/node/event so the lead's ledger explains it: a 'decay' row
 * (half-life between the event and now) or, when its expiry had already passed, an 'expire'
 * row taking it all back at that instant (the entry is marked taken back: no pass takes it again).
 */
function ledgerRows(leadId: string, e: Extract<Effect, { kind: "ledger" }>, processedAt: string): EngineEffectRows["ledger"] {
  const source = { lead_id: leadId, category: e.category, flow_id: e.flowId, flow_version: e.version, node_id: e.nodeId, event_id: e.eventId, run_id: e.runId };
  const rows: EngineEffectRows["ledger"] = [{
    ...source, delta: e.delta, reason: "flow", at: e.at, processed_at: processedAt, expires_at: e.expiresAt,
    expired_at: e.expiredAt === null ? null : processedAt,
  }];
  const lost = e.credited - e.delta;
  if (Math.abs(lost) >= 1e-9) {
    rows.push({
      ...source, delta: lost, reason: e.expiredAt === null ? "decay" : "expire", at: e.expiredAt ?? processedAt,
      processed_at: processedAt, expires_at: null, expired_at: null,
    });
  }
  return rows;
}
