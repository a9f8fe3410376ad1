import { z } from "zod";
import { safeDateTime } from "@leadflow/flow";
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { DB } from "@leadflow/db";
import type { DecayPolicy, Tier } from "@leadflow/engine";
import { invalidInput } from "../errors.js";
import { DecayPolicyInput, loadScoringModel } from "../settings/scoring-model.js";
import { roundPoints } from "../scoring/lead-scores.js";

export const DecayPreviewInput = z.object({
  decay: DecayPolicyInput,
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

/** SQL CASE giving the tier of a total, as tierFor does: highest min <= total, else the lowest tier. */
function tierCase(tiers: Tier[], total: RawBuilder<unknown>): RawBuilder<string> {
  const sorted = [...tiers].sort((a, b) => b.min - a.min);
  const lowest = sorted[sorted.length - 1]?.name ?? "";
  const whens = sorted.map((t) => sql`WHEN ${total} >= ${t.min}::float8 THEN ${t.name}::text`);
  return sql<string>`CASE ${sql.join(whens, sql` `)} ELSE ${lowest}::text END`;
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
  const factor =
    decay.kind === "halfLife"
      ? sql`power(0.5::float8, greatest(0, extract(epoch FROM (${at}::timestamptz - e.at)))::float8 / ${decay.days * 86_400}::float8)`
      : sql`1::float8`;
  const alive =
    decay.kind === "expire"
      ? sql`AND e.at > ${new Date(at.getTime() - decay.days * 86_400_000)}::timestamptz`
      : sql``;
  const newTotal = sql`(l.fit + coalesce(e.engagement, 0))`;
  const base = sql`
    WITH e AS (
      SELECT e.lead_id, sum(e.delta * ${factor}) AS engagement
      FROM score_ledger e
      WHERE e.reason = 'flow' AND e.at <= ${at}::timestamptz
        AND (e.expires_at IS NULL OR e.expires_at > ${at}::timestamptz) ${alive}
      GROUP BY e.lead_id
    ), p AS (
      SELECT l.id, l.email, l.tier, l.total, ${newTotal} AS new_total, ${tierCase(tiers, newTotal)} AS new_tier
      FROM leads l LEFT JOIN e ON e.lead_id = l.id
    )`;
  const { rows: moves } = await sql<{ tier: string; new_tier: string; leads: number }>`
    ${base} SELECT tier, new_tier, count(*)::int AS leads FROM p GROUP BY tier, new_tier ORDER BY tier, new_tier`.execute(db);
  const { rows: examples } = await sql<{ id: string; email: string; tier: string; new_tier: string; total: number; new_total: number }>`
    ${base} SELECT id, email, tier, new_tier, total, new_total FROM p WHERE tier <> new_tier
    ORDER BY abs(new_total - total) DESC, id LIMIT ${sample}`.execute(db);
  const before: Record<string, number> = {};
  const after: Record<string, number> = {};
  for (const t of tiers) before[t.name] = after[t.name] = 0;
  let leads = 0;
  for (const m of moves) {
    leads += m.leads;
    before[m.tier] = (before[m.tier] ?? 0) + m.leads;
    after[m.new_tier] = (after[m.new_tier] ?? 0) + m.leads;
  }
  return {
    at: at.toISOString(),
    decay,
    leads,
    before,
    after,
    moves: moves.filter((m) => m.tier !== m.new_tier).map((m) => ({ from: m.tier, to: m.new_tier, leads: m.leads })),
    sample: examples.map((x) => ({ id: x.id, email: x.email, tier: x.tier, newTier: x.new_tier, total: roundPoints(x.total), newTotal: roundPoints(x.new_total) })),
  };
}
