import { z } from "zod";
import { DecayPolicy, safeDateTime } from "@leadflow/flow";
import { countDecayPreviewMoves, listDecayPreviewSample, type DB, type Kysely } from "@leadflow/db";
import { invalidInput } from "../errors.js";
import { loadScoringModel } from "../settings/scoring-model.js";
import { roundPoints } from "../scoring/lead-scores.js";

export const DecayPreviewInput = z.object({
  decay: DecayPolicy,
  /** preview as of this instant (default now): e.g. 30 days ahead */
  at: safeDateTime().optional(),
  sample: z.number().int().min(0).max(200).default(20),
});

export interface DecayPreview {
  at: string;
  decay: DecayPolicy;
  leads: number;
  /** leads per tier now and under the policy */
  before: Record<string, number>;
  after: Record<string, number>;
  /** how many leads would move from one tier to another */
  moves: { from: string; to: string; leads: number }[];
  /** leads whose tier would change, largest score change first */
  sample: { id: string; email: string; tier: string; newTier: string; total: number; newTotal: number }[];
}

/**
 * How current leads' tiers would change if `decay` had always been the policy: each lead's
 * engagement recomputed from its flow ledger entries (each worth delta·0.5^(age/half-life),
 * or nothing once expired), fit unchanged. Read-only; one aggregate over the ledger.
 */
export async function previewDecay(db: Kysely<DB>, input: unknown, now: Date): Promise<DecayPreview> {
  const parsed = DecayPreviewInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "decay preview");
  const { decay, sample } = parsed.data;
  const at = parsed.data.at ? new Date(parsed.data.at) : now;
  const { tiers } = await loadScoringModel(db);
  const query = {
    at,
    tiers,
    halfLifeDays: decay.kind === "halfLife" ? decay.days : null,
    heldSince: decay.kind === "expire" ? new Date(at.getTime() - decay.days * 86_400_000) : null,
  };
  const moves = await countDecayPreviewMoves(db, query);
  const examples = await listDecayPreviewSample(db, query, sample);
  const before: Record<string, number> = {};
  const after: Record<string, number> = {};
  for (const t of tiers) before[t.name] = after[t.name] = 0;
  let leads = 0;
  for (const m of moves) {
    leads += m.leads;
    before[m.tier] = (before[m.tier] ?? 0) + m.leads;
    after[m.newTier] = (after[m.newTier] ?? 0) + m.leads;
  }
  return {
    at: at.toISOString(),
    decay,
    leads,
    before,
    after,
    moves: moves.filter((m) => m.tier !== m.newTier).map((m) => ({ from: m.tier, to: m.newTier, leads: m.leads })),
    sample: examples.map((x) => ({ id: x.id, email: x.email, tier: x.tier, newTier: x.new_tier, total: roundPoints(x.total), newTotal: roundPoints(x.new_total) })),
  };
}
