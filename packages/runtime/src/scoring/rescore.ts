import { lockLeadsAfter } from "@leadflow/db";
import { applyScoringModel } from "@leadflow/engine";
import type { ScoringModel } from "@leadflow/flow";
import type { RuntimeDeps } from "../deps.js";
import { leadStateFromRow } from "./lead-state.js";
import { EngineSession } from "./engine-session.js";
import { FIRST_ID } from "../scheduler/passes.js";
import { saveScoringModel } from "../settings/scoring-model.js";

/** Saves a new scoring model and applies it to every lead: what REST and the web app both do on save. */
export async function changeScoringModel(deps: RuntimeDeps, input: unknown): Promise<{ model: ScoringModel; rescored: { leads: number; tierChanges: number } }> {
  const model = await saveScoringModel(deps.db, input);
  return { model, rescored: await rescoreAllLeads(deps) };
}

/**
 * Applies the current scoring model to every lead (fit, tier, and what their changes trigger),
 * a chunk of leads per transaction so ingestion is never blocked for long.
 */
export async function rescoreAllLeads(deps: RuntimeDeps, chunk = 1000): Promise<{ leads: number; tierChanges: number }> {
  let after = FIRST_ID;
  let leads = 0;
  let tierChanges = 0;
  for (;;) {
    const done = await deps.db.transaction().execute(async (trx) => {
      const session = await EngineSession.open(deps, trx, deps.clock.now());
      const rows = await lockLeadsAfter(trx, after, chunk);
      if (rows.length === 0) return true;
      after = rows[rows.length - 1]!.id;
      // fit rules may read behaviour (visit frequency)
      await session.loadBehaviour(rows.map((r) => r.id));
      for (const row of rows) {
        const lead = session.withHistory(leadStateFromRow(row));
        const r = applyScoringModel(session.ctx, lead);
        if (r.lead.fit === lead.fit && r.lead.tier === lead.tier && r.effects.length === 0) continue;
        tierChanges += r.effects.filter((e) => e.kind === "tier").length;
        session.take(r);
      }
      await session.commit();
      leads += rows.length;
      return rows.length < chunk;
    });
    if (done) return { leads, tierChanges };
  }
}
