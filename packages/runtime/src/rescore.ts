import { computeFit, tierFor, type Effect, type LeadState } from "@leadflow/engine";
import type { RuntimeDeps } from "./deps.js";
import { leadStateFromRow } from "./lead-state.js";
import { updateLeads, writeEffects } from "./lead-writes.js";
import { loadScoringModel } from "./scoring-model.js";

/**
 * Recomputes every lead's fit and tier under the current scoring model, a chunk of leads per
 * transaction (so ingestion is never blocked for long). Tier changes are recorded.
 */
export async function rescoreAllLeads(deps: RuntimeDeps, chunk = 1000): Promise<{ leads: number; tierChanges: number }> {
  let after = "00000000-0000-0000-0000-000000000000";
  let leads = 0;
  let tierChanges = 0;
  for (;;) {
    const done = await deps.db.transaction().execute(async (trx) => {
      const model = await loadScoringModel(trx);
      const rows = await trx.selectFrom("leads").selectAll().where("id", ">", after).orderBy("id").limit(chunk).forUpdate().execute();
      if (rows.length === 0) return true;
      after = rows[rows.length - 1]!.id;
      const changed: LeadState[] = [];
      const effects: { leadId: string; effects: Effect[] }[] = [];
      for (const row of rows) {
        const lead = leadStateFromRow(row);
        const fit = computeFit(model.fitRules, lead);
        const tier = tierFor(model.tiers, fit + lead.engagement);
        if (fit === lead.fit && tier === lead.tier) continue;
        changed.push({ ...lead, fit, tier });
        if (tier !== lead.tier) effects.push({ leadId: lead.id, effects: [{ kind: "tier", from: lead.tier, to: tier, eventId: null }] });
      }
      const now = deps.clock.now();
      await updateLeads(trx, changed, now);
      await writeEffects(trx, effects, now, deps.newId);
      leads += rows.length;
      tierChanges += effects.length;
      return rows.length < chunk;
    });
    if (done) return { leads, tierChanges };
  }
}
