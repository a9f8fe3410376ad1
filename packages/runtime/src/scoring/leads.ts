import { z } from "zod";
import type { Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import { compileCondition, safeJson, safeString } from "@leadflow/flow";
import { computeFit, tierFor, updateLeadProperties, type LeadState } from "@leadflow/engine";
import type { RuntimeDeps } from "../deps.js";
import { invalidInput, notFound } from "../errors.js";
import { emptyLead, leadStateFromRow } from "./lead-state.js";
import { loadScoringModel } from "../settings/scoring-model.js";
import { ConcurrentUpdate, EngineSession } from "./engine-session.js";
import { withRetry } from "../retry.js";
import { leadTrend } from "../scheduler/snapshots.js";
import { roundedScores, roundPoints, type LeadOwner, type LeadScores } from "./lead-scores.js";

const MAX_PROPERTIES = 200;
const PropertyValue = z.union([safeString(2000), z.number(), z.boolean(), z.null()]);
export const LeadInput = safeJson().pipe(
  z.object({
    email: z.email("email is not a valid e-mail address").max(320),
    properties: z
      .record(safeString(100).regex(/^[\w.-]+$/, "property names: letters, digits, _ . -"), PropertyValue)
      .refine((p) => Object.keys(p).length <= MAX_PROPERTIES, `at most ${MAX_PROPERTIES} properties`)
      .default({}),
  }),
);
/** What GET /api/v1/leads/{key} takes: a lead's id or e-mail. */
const LeadKey = safeString(320).min(1, "must not be empty");

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
   * reason: `flow` (a score.add node), `decay` (the decay policy) or `expire` (points taken back);
   * `at`: when the points count from (a flow entry: its event's time), `processedAt`: when written
   */
  ledger: {
    delta: number; category: string | null; flowId: string | null; nodeId: string | null; eventId: string | null;
    at: string; processedAt: string; reason: string;
  }[];
  lastActivityAt: string | null;
  createdAt: string;
  /** weekly score snapshots, oldest first */
  trend: { week: string; total: number; fit: number; engagement: number }[];
}

/**
 * Creates or updates a lead by e-mail (case-insensitive); given properties are merged over the
 * existing ones (null removes one). Fit and tier are recomputed; a tier change is recorded.
 */
export async function upsertLead(deps: RuntimeDeps, input: unknown): Promise<{ lead: LeadView; created: boolean }> {
  const parsed = LeadInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "lead");
  const { email, properties } = parsed.data;
  const now = deps.clock.now();
  const { id, created } = await withRetry(() =>
    deps.db.transaction().execute(async (trx) => {
      const session = await EngineSession.open(deps, trx, now);
      const existing = await trx.selectFrom("leads").selectAll().where("email_lower", "=", email.toLowerCase()).forUpdate().executeTakeFirst();
      if (existing) {
        // fit rules may read behaviour (visit frequency): recomputed fit keeps counting it
        await session.loadBehaviour([existing.id]);
        session.take(updateLeadProperties(session.ctx, session.withHistory(leadStateFromRow(existing)), properties));
        await session.commit();
        return { id: existing.id, created: false };
      }
      const props = Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== null));
      const lead: LeadState = { ...emptyLead(), id: deps.newId(), email, properties: props };
      lead.fit = computeFit(session.ctx.model.fitRules, lead);
      lead.tier = tierFor(session.ctx.model.tiers, lead.fit);
      const inserted = await trx
        .insertInto("leads")
        .values({
          id: lead.id, email, email_lower: email.toLowerCase(), properties: JSON.stringify(props), fit: lead.fit,
          total: lead.fit, tier: lead.tier, flow_state: JSON.stringify(lead.flowState),
        })
        .onConflict((oc) => oc.column("email_lower").doNothing())
        .executeTakeFirst();
      // another request created it in the meantime: update it instead
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new ConcurrentUpdate("lead created concurrently");
      return { id: lead.id, created: true };
    }),
  );
  return { lead: await getLead(deps.db, id), created };
}

/** A lead by id or e-mail, with the scores and the ledger entries behind them. */
export async function getLead(db: Kysely<DB>, idOrEmail: string): Promise<LeadView> {
  const key = LeadKey.safeParse(idOrEmail);
  if (!key.success) throw invalidInput(key.error.issues, "lead id or e-mail");
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrEmail);
  const row = await db
    .selectFrom("leads")
    .selectAll()
    .where(isId ? "id" : "email_lower", "=", isId ? idOrEmail : idOrEmail.toLowerCase())
    .executeTakeFirst();
  if (!row) throw notFound(`lead ${idOrEmail}`);
  const [owner, ledger, model, trend] = await Promise.all([
    row.owner_id
      ? db.selectFrom("sales_reps").select(["id", "name", "email"]).where("id", "=", row.owner_id).executeTakeFirst()
      : undefined,
    db
      .selectFrom("score_ledger")
      .select(["delta", "category", "flow_id", "node_id", "event_id", "at", "processed_at", "reason"])
      .where("lead_id", "=", row.id)
      .orderBy("at")
      .orderBy("id")
      .limit(1000)
      .execute(),
    loadScoringModel(db),
    leadTrend(db, row.id),
  ]);
  const state = leadStateFromRow(row);
  const evalCtx = {
    lead: { email: row.email, stage: row.stage, status: row.status, properties: row.properties },
    scores: { fit: row.fit, engagement: row.engagement, total: row.total, categories: row.categories },
    tier: row.tier,
  };
  return {
    id: row.id,
    email: row.email,
    properties: row.properties,
    stage: row.stage,
    status: row.status,
    owner: owner ?? null,
    scores: roundedScores({ fit: row.fit, engagement: row.engagement, total: row.total, categories: state.categories }),
    tier: row.tier,
    fit: model.fitRules.filter((r) => compileCondition(r)(evalCtx)).map((r) => ({ field: r.field, op: r.op, value: r.value, points: r.points })),
    ledger: ledger.map((l) => ({
      delta: roundPoints(l.delta), category: l.category, flowId: l.flow_id, nodeId: l.node_id, eventId: l.event_id,
      at: new Date(l.at).toISOString(), processedAt: new Date(l.processed_at).toISOString(), reason: l.reason,
    })),
    lastActivityAt: row.last_activity_at ? new Date(row.last_activity_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
    trend,
  };
}

