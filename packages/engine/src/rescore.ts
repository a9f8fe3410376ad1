import { snapshotScores } from "./scores.js";
import { computeFit } from "./fit.js";
import { closeSession, openSession, own } from "./session.js";
import { afterScoreChange } from "./run.js";
import type { EngineContext, EngineResult, LeadState } from "./types.js";

/**
 * Sets engagement and category scores computed elsewhere (decay, expiry) and
 * applies what follows: tier change, threshold re-arming, trigger.score crossings.
 */
export function rescore(ctx: EngineContext, lead: LeadState, newEngagement: number, newCategories: Record<string, number>): EngineResult {
  const s = openSession(ctx, lead, null);
  const before = snapshotScores(s.lead);
  const mine = own(s);
  mine.engagement = newEngagement;
  mine.categories = { ...newCategories };
  afterScoreChange(s, before, 0);
  return closeSession(s);
}

/** Applies a changed scoring model to a lead: fit from the current rules, tier from the current bands. */
export function applyScoringModel(ctx: EngineContext, lead: LeadState): EngineResult {
  const s = openSession(ctx, lead, null);
  const before = snapshotScores(s.lead);
  const fit = computeFit(ctx.model.fitRules, s.lead, ctx.now.getTime());
  if (fit !== s.lead.fit) own(s).fit = fit;
  afterScoreChange(s, before, 0);
  return closeSession(s);
}
