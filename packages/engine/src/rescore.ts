import { snapshotScores } from "./scores.js";
import { computeFit } from "./fit.js";
import { closeSession, openSession } from "./session.js";
import { afterScoreChange } from "./run.js";
import type { EngineContext, EngineResult, LeadState } from "./types.js";

/**
 * Sets engagement and category scores computed elsewhere (decay, expiry) and
 * applies what follows: tier change, threshold re-arming, trigger.score crossings.
 */
export function rescore(ctx: EngineContext, lead: LeadState, newEngagement: number, newCategories: Record<string, number>): EngineResult {
  const s = openSession(ctx, lead, null);
  const before = snapshotScores(s.lead);
  s.lead.engagement = newEngagement;
  s.lead.categories = { ...newCategories };
  afterScoreChange(s, before, 0);
  return closeSession(s);
}

/** Applies a changed scoring model to a lead: fit from the current rules, tier from the current bands. */
export function applyScoringModel(ctx: EngineContext, lead: LeadState): EngineResult {
  const s = openSession(ctx, lead, null);
  const before = snapshotScores(s.lead);
  s.lead.fit = computeFit(ctx.model.fitRules, s.lead, ctx.now.getTime());
  afterScoreChange(s, before, 0);
  return closeSession(s);
}
