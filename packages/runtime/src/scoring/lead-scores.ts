/**
 * Score shapes shared by the web app's lead view (read/lead-view.ts), delivery's lead
 * (delivery/delivery-lead.ts) and the webhook's public lead (delivery/webhook.ts). Only these
 * building blocks are shared: each of those types stays its own (a deliberate parallel), so a
 * field added for a screen does not reach the outside.
 */

export interface LeadOwner {
  id: string;
  name: string;
  email: string;
}

export interface LeadScores {
  fit: number;
  engagement: number;
  total: number;
  categories: Record<string, number>;
}

/** Points to two decimals, as every answer shows them (sums of decimals drift in floating point). */
export const roundPoints = (n: number) => Math.round(n * 100) / 100;

/** A lead's stored scores, rounded. */
export function roundedScores(scores: LeadScores): LeadScores {
  return {
    fit: roundPoints(scores.fit),
    engagement: roundPoints(scores.engagement),
    total: roundPoints(scores.total),
    categories: Object.fromEntries(Object.entries(scores.categories).map(([k, v]) => [k, roundPoints(v)])),
  };
}
