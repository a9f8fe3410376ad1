import type { Transaction } from "kysely";
import { findBehaviourEvents, type DB } from "@leadflow/db";
import { fitBehaviourNeeds, type ScoringModel } from "@leadflow/engine";
import { hasBehaviourNeeds, noBehaviourNeeds, type BehaviourEvent, type BehaviourNeeds, type CompiledFlowSet } from "@leadflow/flow";

const DAY = 86_400_000;

/**
 * Events loaded per lead and type. A count compared with more than this reads at most this
 * many (docs/conditions.md); it keeps one lead's history from filling the process.
 */
export const BEHAVIOUR_PER_TYPE_LIMIT = 2000;

/** What the published flows and the fit model read of leads' histories; empty when no rule does. */
export function behaviourNeedsOf(flows: CompiledFlowSet, model: ScoringModel): BehaviourNeeds {
  const fit = fitBehaviourNeeds(model.fitRules);
  if (!hasBehaviourNeeds(fit)) return flows.behaviour;
  const needs = noBehaviourNeeds();
  for (const source of [flows.behaviour, fit]) {
    for (const [type, days] of source.counts) needs.counts.set(type, Math.max(needs.counts.get(type) ?? 0, days));
    for (const type of source.latest) needs.latest.add(type);
  }
  return needs;
}

/**
 * Each lead's events that the rules read: per counted type, those in its window before
 * `earliest` (the oldest instant a rule will be read as of) up to now, and the latest of each
 * days-since type. No query at all when no rule reads behaviour.
 */
export async function loadBehaviour(
  trx: Transaction<DB>,
  needs: BehaviourNeeds,
  leadIds: readonly string[],
  earliest: Date,
): Promise<Map<string, BehaviourEvent[]>> {
  const byLead = new Map<string, BehaviourEvent[]>();
  if (!hasBehaviourNeeds(needs) || leadIds.length === 0) return byLead;
  const windows = new Map<string, Date>();
  for (const [type, days] of needs.counts) windows.set(type, new Date(earliest.getTime() - days * DAY));
  const rows = await findBehaviourEvents(trx, { leadIds, windows, latest: needs.latest, perTypeLimit: BEHAVIOUR_PER_TYPE_LIMIT });
  for (const id of leadIds) byLead.set(id, []);
  for (const r of rows) byLead.get(r.leadId)?.push({ id: r.id, type: r.type, properties: r.properties, at: r.at });
  return byLead;
}
