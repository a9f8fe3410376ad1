import { sql, type Kysely } from "kysely";
import { z } from "zod";
import type { DB } from "@leadflow/db";
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
  let base = db.selectFrom("leads").leftJoin("sales_reps", "sales_reps.id", "leads.owner_id");
  if (q.search) {
    const like = `%${q.search.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) =>
      eb.or([
        eb("leads.email_lower", "like", like),
        eb(sql`lower(leads.properties->>'firstName' || ' ' || coalesce(leads.properties->>'lastName', ''))`, "like", like),
        eb(sql`lower(coalesce(leads.properties->>'company', ''))`, "like", like),
      ]),
    );
  }
  if (q.tier) base = base.where("leads.tier", "=", q.tier);
  if (q.stage) base = base.where("leads.stage", "=", q.stage);
  if (q.owner === "none") base = base.where("leads.owner_id", "is", null);
  else if (q.owner) base = base.where("leads.owner_id", "=", q.owner);
  const count = await base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  let rows = base.select([
    "leads.id", "leads.email", "leads.properties", "leads.stage", "leads.status", "leads.tier", "leads.total", "leads.fit",
    "leads.engagement", "leads.owner_id", "sales_reps.name as owner_name", "leads.last_activity_at",
  ]);
  rows =
    q.sort === "score"
      ? rows.orderBy("leads.total", "desc").orderBy("leads.email_lower")
      : q.sort === "recent"
        ? rows.orderBy(sql`leads.last_activity_at DESC NULLS LAST`).orderBy("leads.email_lower")
        : rows.orderBy("leads.email_lower");
  const result = await rows.limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  return {
    total: Number(count.n),
    page: q.page,
    pageSize: q.pageSize,
    rows: result.map((r) => {
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
