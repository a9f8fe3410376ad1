/**
 * The web app's and the REST API's view of one lead: its scores with the ledger entries and fit
 * rules behind them, and its weekly trend. A read model: the write service is scoring/leads.ts.
 */
import type { Kysely } from "kysely";
import { countQueuedForLead, findLead, findLeadOwner, latestLedgerRows, type DB } from "@leadflow/db";
import { safeString, UUID_PATTERN } from "@leadflow/flow";
import { matchingFitRules } from "../scoring/fit-explanation.js";
import { invalidInput, notFound } from "../errors.js";
import { loadScoringModel } from "../settings/scoring-model.js";
import { leadTrend } from "../scheduler/snapshots.js";
import { roundedScores, roundPoints, type LeadOwner, type LeadScores } from "../scoring/lead-scores.js";

/** What GET /api/v1/leads/{key} takes: a lead's id or e-mail. */
const LeadKey = safeString(320).min(1, "must not be empty");

/** How many ledger entries the view carries: the newest ones (a long-lived lead has more). */
export const LEDGER_VIEW_LIMIT = 1000;

/** The lead as the web app and GET /api/v1/leads/{key} show it (its own type, not delivery's: see lead-scores.ts). */
export interface LeadView {
  id: string;
  email: string;
  properties: Record<string, unknown>;
  stage: string;
  status: string;
  owner: LeadOwner | null;
  scores: LeadScores;
  tier: string;
  /** the fit rules that match the lead now, with their points */
  fit: { field: string; op: string; value?: unknown; points: number }[];
  /**
   * The newest 1,000 entries, oldest of them first. reason: `flow` (a score.add node), `decay`
   * (the decay policy) or `expire` (points taken back); `at`: when the points count from (a flow
   * entry: its event's time), `processedAt`: when written
   */
  ledger: {
    delta: number; category: string | null; flowId: string | null; nodeId: string | null; eventId: string | null;
    at: string; processedAt: string; reason: string;
  }[];
  lastActivityAt: string | null;
  createdAt: string;
  /** weekly score snapshots, oldest first */
  trend: { week: string; total: number; fit: number; engagement: number }[];
  /** events stored but not scored yet (issue 10: scoring follows the append); 0 = the scores are current */
  pendingEvents: number;
}

/** A lead by id or e-mail, with the scores and the ledger entries behind them. */
export async function getLead(db: Kysely<DB>, idOrEmail: string): Promise<LeadView> {
  const key = LeadKey.safeParse(idOrEmail);
  if (!key.success) throw invalidInput(key.error.issues, "lead id or e-mail");
  const row = await findLead(db, UUID_PATTERN.test(idOrEmail) ? { id: idOrEmail } : { emailLower: idOrEmail.toLowerCase() });
  if (!row) throw notFound(`lead ${idOrEmail}`);
  const [owner, newestFirst, model, trend, pendingEvents] = await Promise.all([
    row.owner_id ? findLeadOwner(db, row.owner_id) : undefined,
    latestLedgerRows(db, row.id, LEDGER_VIEW_LIMIT),
    loadScoringModel(db),
    leadTrend(db, row.id),
    countQueuedForLead(db, row.id),
  ]);
  return {
    id: row.id,
    email: row.email,
    properties: row.properties,
    stage: row.stage,
    status: row.status,
    owner: owner ?? null,
    scores: roundedScores({ fit: row.fit, engagement: row.engagement, total: row.total, categories: row.categories }),
    tier: row.tier,
    fit: matchingFitRules(model.fitRules, { ...row, scores: { fit: row.fit, engagement: row.engagement, total: row.total, categories: row.categories } }),
    // presented oldest first, as the API always has (the web app and the rep's e-mail read from the end)
    ledger: newestFirst.reverse().map((l) => ({
      delta: roundPoints(l.delta), category: l.category, flowId: l.flow_id, nodeId: l.node_id, eventId: l.event_id,
      at: new Date(l.at).toISOString(), processedAt: new Date(l.processed_at).toISOString(), reason: l.reason,
    })),
    lastActivityAt: row.last_activity_at ? new Date(row.last_activity_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
    trend,
    pendingEvents,
  };
}
