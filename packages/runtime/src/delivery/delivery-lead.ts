import { findDeliveryLead, type DB, type DeliveryLeadKey, type Kysely } from "@leadflow/db";
import { UUID_PATTERN } from "@leadflow/flow";
import { AppError, notFound } from "../errors.js";
import { roundedScores, roundPoints } from "../scoring/lead-scores.js";
import type { WebhookLead } from "./webhook.js";

/** The version of the `DeliveryLead` shape; raise it when a field changes meaning or goes (docs/email.md). */
export const DELIVERY_LEAD_VERSION = 1;

/** One ledger entry behind a lead's points, as a rep's notification lists it. */
export interface LatestPoint {
  delta: number;
  category: string | null;
  flowId: string | null;
  nodeId: string | null;
  /** when the points count from, ISO */
  at: string;
}

/**
 * The lead as delivery (e-mail, rep notifications, webhooks) reads it: a narrow projection of
 * its row, not the web app's lead view. It is the webhook's public lead (body version 1) and
 * two fields that stay inside: the shape's version and the latest points. Its fields are
 * documented in docs/email.md; a field added for a screen reaches neither templates nor webhooks.
 */
export interface DeliveryLead extends WebhookLead {
  version: typeof DELIVERY_LEAD_VERSION;
  /** the newest ledger entries, newest first: as many as asked for (none unless asked) */
  latestPoints: LatestPoint[];
}

/** The lead a job is for, with its `latestPoints` newest entries; undefined when it no longer exists. */
export async function loadDeliveryLead(db: Kysely<DB>, key: DeliveryLeadKey, latestPoints = 0): Promise<DeliveryLead | undefined> {
  const row = await findDeliveryLead(db, key, latestPoints);
  if (!row) return undefined;
  return {
    version: DELIVERY_LEAD_VERSION,
    id: row.id,
    email: row.email,
    properties: row.properties,
    stage: row.stage,
    status: row.status,
    owner: row.owner_id ? { id: row.owner_id, name: row.owner_name ?? "", email: row.owner_email ?? "" } : null,
    scores: roundedScores(row),
    tier: row.tier,
    latestPoints: row.latestPoints.map((l) => ({
      delta: roundPoints(l.delta), category: l.category, flowId: l.flow_id, nodeId: l.node_id, at: new Date(l.at).toISOString(),
    })),
  };
}

/** A lead a marketer named by id or e-mail (a preview, a test send); not_found when there is none. */
export async function requireDeliveryLead(db: Kysely<DB>, idOrEmail: string): Promise<DeliveryLead> {
  const key = idOrEmail;
  if (!key) throw new AppError("invalid_input", "lead id or e-mail: must not be empty", { fields: [{ path: "leadEmail", message: "must not be empty" }] });
  const lead = await loadDeliveryLead(db, UUID_PATTERN.test(key) ? { id: key } : { emailLower: key.toLowerCase() });
  if (!lead) throw notFound(`lead ${idOrEmail}`);
  return lead;
}
