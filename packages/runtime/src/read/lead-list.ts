import { z } from "zod";
import { listLeadRows, type DB, type Kysely } from "@leadflow/db";
import { safeString } from "@leadflow/flow";
import { roundPoints } from "../scoring/lead-scores.js";

export const LeadListQuery = z.object({
  search: safeString(200).optional(),
  tier: safeString(40).optional(),
  /** a rep id, or "none" */
  owner: safeString(64).optional(),
  stage: safeString(40).optional(),
  sort: z.enum(["score", "recent", "email"]).default("score"),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(25),
});
export type LeadListQuery = z.input<typeof LeadListQuery>;

export interface LeadRowView {
  id: string;
  email: string;
  name: string;
  company: string | null;
  stage: string;
  status: string;
  tier: string;
  total: number;
  fit: number;
  engagement: number;
  ownerId: string | null;
  ownerName: string | null;
  lastActivityAt: string | null;
}

export interface LeadPage {
  rows: LeadRowView[];
  total: number;
  page: number;
  pageSize: number;
}

/** The page a query gets when it can match no lead at all (a sales user not linked to a rep). */
export function emptyLeadPage(input: LeadListQuery): LeadPage {
  const q = LeadListQuery.parse(input);
  return { rows: [], total: 0, page: q.page, pageSize: q.pageSize };
}

/** A page of leads, filtered and sorted in the database. */
export async function listLeads(db: Kysely<DB>, input: LeadListQuery): Promise<LeadPage> {
  const q = LeadListQuery.parse(input);
  const { total, rows } = await listLeadRows(db, q, q.sort, { limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return {
    total,
    page: q.page,
    pageSize: q.pageSize,
    rows: rows.map((r) => {
      const p = r.properties as Record<string, unknown>;
      const name = [p.firstName, p.lastName].filter((x) => typeof x === "string" && x).join(" ");
      return {
        id: r.id, email: r.email, name, company: typeof p.company === "string" ? p.company : null, stage: r.stage,
        status: r.status, tier: r.tier, total: roundPoints(r.total), fit: roundPoints(r.fit), engagement: roundPoints(r.engagement),
        ownerId: r.owner_id, ownerName: r.owner_name, lastActivityAt: r.last_activity_at ? new Date(r.last_activity_at).toISOString() : null,
      };
    }),
  };
}
