import type { Selectable } from "kysely";
import type { LeadPatch, LeadTable } from "@leadflow/db";
import type { LeadState, LeadStatus } from "@leadflow/engine";

export type LeadRow = Selectable<LeadTable>;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function leadStateFromRow(row: LeadRow): LeadState {
  return {
    id: row.id,
    email: row.email,
    properties: row.properties,
    stage: row.stage,
    status: row.status as LeadStatus,
    ownerId: row.owner_id,
    fit: row.fit,
    engagement: row.engagement,
    categories: row.categories,
    tier: row.tier,
    lastActivityAt: iso(row.last_activity_at),
    flowState: row.flow_state,
    weeksDown: row.weeks_down ?? 0,
  };
}

/** The columns of a lead that the engine may change, as one record of a bulk UPDATE. */
export function leadPatch(lead: LeadState): LeadPatch {
  return {
    id: lead.id,
    properties: lead.properties,
    stage: lead.stage,
    status: lead.status,
    owner_id: lead.ownerId,
    fit: lead.fit,
    engagement: lead.engagement,
    total: lead.fit + lead.engagement,
    categories: lead.categories,
    tier: lead.tier,
    flow_state: lead.flowState,
    last_activity_at: lead.lastActivityAt,
  };
}

/** A lead with no properties, scores or history (what a new e-mail starts as). */
export function emptyLead(): LeadState {
  return {
    id: "", email: "", properties: {}, stage: "lead", status: "active", ownerId: null, fit: 0, engagement: 0,
    categories: {}, tier: "", lastActivityAt: null, flowState: { thresholds: {}, entries: {} },
  };
}
