import { compileCondition, type EvalContext } from "@leadflow/flow";
import type { FitRule, LeadState } from "./types.js";

/**
 * What fit depends on: who the lead is, and for rules on behaviour fields (visit frequency), its
 * loaded history as of `asOf` (epoch ms).
 */
export type FitSubject = Pick<LeadState, "email" | "stage" | "status" | "properties" | "behaviour">;

type FitFn = (lead: FitSubject, asOf: number | undefined) => number;

const noScores = { total: 0, fit: 0, engagement: 0, categories: {} };

/**
 * Compiles fit rules once. Fields without a known prefix ("country") read lead
 * properties. Score and tier fields read 0 / "" since fit must not depend on engagement.
 */
export function compileFitRules(rules: readonly FitRule[]): FitFn {
  const compiled = rules.map((r) => ({ test: compileCondition(r), points: r.points }));
  return (lead, asOf) => {
    const ctx: EvalContext = {
      lead: { email: lead.email, stage: lead.stage, status: lead.status, properties: lead.properties },
      scores: noScores,
      tier: "",
      ...(lead.behaviour && asOf !== undefined ? { behaviour: { asOf, events: lead.behaviour } } : {}),
    };
    let sum = 0;
    for (const r of compiled) if (r.test(ctx)) sum += r.points;
    return sum;
  };
}

// the model's rule list is replaced, never edited, so its identity is a safe cache key
const cache = new WeakMap<readonly FitRule[], FitFn>();

/**
 * Sum of the points of every matching fit rule. Behaviour fields read the lead's loaded history
 * as of `asOf` (epoch ms); without both they read as no behaviour (counts 0).
 */
export function computeFit(rules: readonly FitRule[], lead: FitSubject, asOf?: number): number {
  let fn = cache.get(rules);
  if (!fn) {
    fn = compileFitRules(rules);
    cache.set(rules, fn);
  }
  return fn(lead, asOf);
}
