import { ScoringModel as ScoringModelSchema } from "@leadflow/flow";
import type { ScoringModel, Tier } from "./types.js";

/** The tier whose band holds the total: the highest min <= total, else the lowest tier (totals can be negative). */
export function tierFor(tiers: readonly Tier[], total: number): string {
  let best: Tier | undefined;
  let lowest: Tier | undefined;
  for (const t of tiers) {
    if (t.min <= total && (!best || t.min > best.min)) best = t;
    if (!lowest || t.min < lowest.min) lowest = t;
  }
  return (best ?? lowest)?.name ?? "";
}

/** Cold < 30 <= Warm < 70 <= Hot, no fit rules, no decay, no caps: the schema's defaults. */
export const defaultScoringModel: ScoringModel = ScoringModelSchema.parse({});
