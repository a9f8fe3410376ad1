import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import type { DB, LeadTable } from "../tables.js";
import { chunks, columnsOf, insertRecords, recordset, type RecordColumns, type RecordOf } from "../recordset.js";

/** (segments.repository.ts exports the same `LeadRow`; declared here unexported so the index has one) */
type LeadRow = Selectable<LeadTable>;
/** A lead row as read, with its version (`xmin`: it changes whenever the row is rewritten). */
export type VersionedLeadRow = LeadRow & { row_version: string };


/** A lead by id, or by lower-cased e-mail. */
export async function findLead(db: Kysely<DB>, key: { id: string } | { emailLower: string }): Promise<LeadRow | undefined> {
  const query = db.selectFrom("leads").selectAll();
  return ("id" in key ? query.where("id", "=", key.id) : query.where("email_lower", "=", key.emailLower)).executeTakeFirst();
}

/** A lead by lower-cased e-mail, locked for the caller's transaction. */
export async function lockLeadByEmail(trx: Transaction<DB>, emailLower: string): Promise<LeadRow | undefined> {
  return trx.selectFrom("leads").selectAll().where("email_lower", "=", emailLower).forUpdate().executeTakeFirst();
}

/** The rep owning a lead, as the lead view names it. */
export async function findLeadOwner(db: Kysely<DB>, repId: string) {
  return db.selectFrom("sales_reps").select(["id", "name", "email"]).where("id", "=", repId).executeTakeFirst();
}

export interface NewLead {
  id: string;
  email: string;
  properties: Record<string, unknown>;
  fit: number;
  tier: string;
  flowState: LeadRow["flow_state"];
}

/** Inserts a lead unless its e-mail exists (another writer was first): false then. Its total starts at its fit. */
export async function insertLeadIfAbsent(db: Kysely<DB>, lead: NewLead): Promise<boolean> {
  const inserted = await db
    .insertInto("leads")
    .values({
      id: lead.id, email: lead.email, email_lower: lead.email.toLowerCase(), properties: JSON.stringify(lead.properties),
      fit: lead.fit, total: lead.fit, tier: lead.tier, flow_state: JSON.stringify(lead.flowState),
    })
    .onConflict((oc) => oc.column("email_lower").doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Which of these lower-cased e-mails have a lead. */
export async function findKnownEmails(db: Kysely<DB>, emailsLower: readonly string[]): Promise<Set<string>> {
  if (emailsLower.length === 0) return new Set();
  const rows = await db.selectFrom("leads").select("email_lower").where("email_lower", "=", sql<string>`ANY(${[...emailsLower]}::text[])`).execute();
  return new Set(rows.map((r) => r.email_lower));
}

const NEW_LEAD_COLUMNS = {
  id: "uuid", email: "text", email_lower: "text", fit: "float8", total: "float8", tier: "text",
} as const satisfies RecordColumns<"leads">;
export type NewLeadRecord = RecordOf<"leads", typeof NEW_LEAD_COLUMNS>;

/**
 * Inserts leads in one statement, in e-mail order (concurrent creators of the same e-mails wait
 * on each other in one order); those another transaction created first are skipped. Returns the
 * rows inserted.
 */
export async function insertNewLeads(db: Kysely<DB>, leads: readonly NewLeadRecord[]): Promise<VersionedLeadRow[]> {
  if (leads.length === 0) return [];
  const tail = sql`ON CONFLICT (${sql.id("email_lower")}) DO NOTHING RETURNING *, xmin::text AS row_version`;
  return (await insertRecords("leads", NEW_LEAD_COLUMNS, leads, { orderBy: "email_lower", tail }).execute(db)).rows as VersionedLeadRow[];
}

const LEAD_PATCH_COLUMNS = {
  id: "uuid", properties: "jsonb", stage: "text", status: "text", owner_id: "text", fit: "float8", engagement: "float8",
  total: "float8", categories: "jsonb", tier: "text", flow_state: "jsonb", last_activity_at: "timestamptz",
} as const satisfies RecordColumns<"leads">;
/** The columns of a lead the engine may change. */
export type LeadPatch = RecordOf<"leads", typeof LEAD_PATCH_COLUMNS>;

/**
 * Writes many leads' engine-owned columns, one statement per 1,000 leads. `decayedAt` (the decay
 * pass) moves decayed_at forward in the same statement: one row version, not two.
 * `keepStatus`: the status column is left out of the SET list, so each row's current status
 * stays and the status trigger does not fire.
 */
export async function updateLeadPatches(
  db: Kysely<DB>,
  patches: readonly LeadPatch[],
  now: Date,
  options: { decayedAt?: Date; keepStatus?: boolean } = {},
): Promise<void> {
  const columns = columnsOf(LEAD_PATCH_COLUMNS).filter((c) => c !== "id" && !(options.keepStatus && c === "status"));
  const set = [
    ...columns.map((c) => sql`${sql.id(c)} = ${sql.ref(`v.${c}`)}`),
    sql`${sql.id("updated_at")} = ${now}`,
    ...(options.decayedAt ? [sql`${sql.id("decayed_at")} = greatest(${sql.ref("l.decayed_at")}, ${options.decayedAt}::timestamptz)`] : []),
  ];
  for (const part of chunks(patches)) {
    await sql`UPDATE ${sql.table("leads")} AS l SET ${sql.join(set)}
      FROM ${recordset(LEAD_PATCH_COLUMNS, part)} WHERE ${sql.ref("l.id")} = ${sql.ref("v.id")}`.execute(db);
  }
}

export interface LeadListFilter {
  /** matches the e-mail, the name (firstName lastName) or the company, case-insensitively */
  search?: string;
  tier?: string;
  stage?: string;
  /** a rep id, or "none" for leads without an owner */
  owner?: string;
}
export type LeadListSort = "score" | "recent" | "email";

/** One page of leads (with their owner's name) and how many match in all. */
export async function listLeadRows(db: Kysely<DB>, filter: LeadListFilter, sort: LeadListSort, page: { limit: number; offset: number }) {
  let base = db.selectFrom("leads").leftJoin("sales_reps", "sales_reps.id", "leads.owner_id");
  if (filter.search) {
    const like = `%${filter.search.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) =>
      eb.or([
        eb("leads.email_lower", "like", like),
        eb(sql`lower(leads.properties->>'firstName' || ' ' || coalesce(leads.properties->>'lastName', ''))`, "like", like),
        eb(sql`lower(coalesce(leads.properties->>'company', ''))`, "like", like),
      ]),
    );
  }
  if (filter.tier) base = base.where("leads.tier", "=", filter.tier);
  if (filter.stage) base = base.where("leads.stage", "=", filter.stage);
  if (filter.owner === "none") base = base.where("leads.owner_id", "is", null);
  else if (filter.owner) base = base.where("leads.owner_id", "=", filter.owner);
  const count = await base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  let rows = base.select([
    "leads.id", "leads.email", "leads.properties", "leads.stage", "leads.status", "leads.tier", "leads.total", "leads.fit",
    "leads.engagement", "leads.owner_id", "sales_reps.name as owner_name", "leads.last_activity_at",
  ]);
  rows =
    sort === "score"
      ? rows.orderBy("leads.total", "desc").orderBy("leads.email_lower")
      : sort === "recent"
        ? rows.orderBy(sql`leads.last_activity_at DESC NULLS LAST`).orderBy("leads.email_lower")
        : rows.orderBy("leads.email_lower");
  return { total: Number(count.n), rows: await rows.limit(page.limit).offset(page.offset).execute() };
}

/** A lead's e-mail and notification jobs, newest first (its timeline on the lead page). */
export async function findLeadMessageJobs(db: Kysely<DB>, leadId: string, limit: number) {
  return db
    .selectFrom("outbox_jobs")
    .selectAll()
    .where("lead_id", "=", leadId)
    .where("job_type", "in", ["email", "notify"])
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}

/** A lead's tier changes, newest first. */
export async function findLeadTierChanges(db: Kysely<DB>, leadId: string, limit: number) {
  return db.selectFrom("tier_changes").select(["from_tier", "to_tier", "at"]).where("lead_id", "=", leadId).orderBy("at", "desc").limit(limit).execute();
}

/** A lead's flow runs, newest first. */
export async function findLeadRuns(db: Kysely<DB>, leadId: string, limit: number) {
  return db
    .selectFrom("flow_runs")
    .select(["id", "flow_id", "flow_version", "path", "status", "started_at"])
    .where("lead_id", "=", leadId)
    .orderBy("started_at", "desc")
    .limit(limit)
    .execute();
}

/** Leads by id, locked for the caller's transaction in id order (the order every writer of several leads takes). */
export async function lockLeadRows(trx: Transaction<DB>, ids: readonly string[]): Promise<LeadRow[]> {
  if (ids.length === 0) return [];
  return trx.selectFrom("leads").selectAll().where("id", "=", sql<string>`ANY(${[...ids]}::uuid[])`).orderBy("id").forUpdate().execute();
}

/** The ids (and e-mails) of the leads with these lower-cased e-mails or ids: what an append resolves events with. */
export async function findLeadKeys(db: Kysely<DB>, emailsLower: readonly string[], ids: readonly string[] = []): Promise<{ id: string; email_lower: string }[]> {
  if (emailsLower.length + ids.length === 0) return [];
  return db
    .selectFrom("leads")
    .select(["id", "email_lower"])
    .where((eb) => eb.or([
      eb("email_lower", "=", sql<string>`ANY(${[...emailsLower]}::text[])`),
      eb("id", "=", sql<string>`ANY(${[...ids]}::uuid[])`),
    ]))
    .execute();
}
