import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import type { DB, LeadTable } from "../tables.js";
import { chunks, columnsOf, insertRecords, recordset, type RecordColumns, type RecordOf } from "../recordset.js";

/** (segments.repository.ts exports the same `LeadRow`; declared here unexported so the index has one) */
type LeadRow = Selectable<LeadTable>;
/** A lead row as read, with its version (`xmin`: it changes whenever the row is rewritten). */
export type VersionedLeadRow = LeadRow & { row_version: string };

const versioned = sql<string>`xmin::text`.as("row_version");

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

/** Leads by lower-cased e-mail or by id, with their versions, not locked. */
export async function findVersionedLeads(db: Kysely<DB>, emailsLower: readonly string[], ids: readonly string[] = []): Promise<VersionedLeadRow[]> {
  if (emailsLower.length + ids.length === 0) return [];
  return db
    .selectFrom("leads")
    .selectAll()
    .select(versioned)
    .where((eb) => eb.or([
      eb("email_lower", "=", sql<string>`ANY(${[...emailsLower]}::text[])`),
      eb("id", "=", sql<string>`ANY(${[...ids]}::uuid[])`),
    ]))
    .execute();
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

/** Locks leads in id order (the order every writer of several leads takes them in); returns their versions. */
export async function lockLeadVersions(trx: Transaction<DB>, ids: readonly string[]): Promise<{ id: string; row_version: string }[]> {
  if (ids.length === 0) return [];
  return trx
    .selectFrom("leads")
    .select("id")
    .select(versioned)
    .where("id", "=", sql<string>`ANY(${[...ids]}::uuid[])`)
    .orderBy("id")
    .forUpdate()
    .execute();
}

/** Leads by id. */
export async function findLeadsById(db: Kysely<DB>, ids: readonly string[]): Promise<LeadRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("leads").selectAll().where("id", "=", sql<string>`ANY(${[...ids]}::uuid[])`).execute();
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
