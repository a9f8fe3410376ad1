import { compileCondition, type FitRule } from "@leadflow/flow";

/** What a fit rule reads of a lead: the same fields the engine gives conditions. */
export interface FitSubject {
  email: string;
  stage: string;
  status: string;
  properties: Record<string, unknown>;
  tier: string;
  scores: { fit: number; engagement: number; total: number; categories: Record<string, number> };
}

export interface MatchedFitRule {
  field: string;
  op: string;
  value?: unknown;
  points: number;
}

/**
 * The fit rules a lead matches now, with their points: the "why" of its fit score on the lead
 * page and in a rep's notification (one reading, so the two never disagree).
 */
export function matchingFitRules(rules: readonly FitRule[], lead: FitSubject): MatchedFitRule[] {
  const subject = {
    lead: { email: lead.email, stage: lead.stage, status: lead.status, properties: lead.properties },
    scores: lead.scores,
    tier: lead.tier,
  };
  return rules.filter((r) => compileCondition(r)(subject)).map((r) => ({ field: r.field, op: r.op, value: r.value, points: r.points }));
}
