import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import type { DB } from "../tables.js";
import type { LeadImportTable } from "../import-tables.js";
import { insertRecords, type RecordColumns } from "../recordset.js";

export type LeadImportRow = Selectable<LeadImportTable>;

export async function insertLeadImport(
  db: Kysely<DB>,
  row: { id: string; fileName: string; fingerprint: string; sizeBytes: number; delimiter: string | null; encoding: string | null; now: Date },
): Promise<LeadImportRow> {
  return db
    .insertInto("lead_imports")
    .values({
      id: row.id, file_name: row.fileName, fingerprint: row.fingerprint, size_bytes: row.sizeBytes,
      delimiter: row.delimiter, encoding: row.encoding, created_at: row.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findLeadImport(db: Kysely<DB>, id: string): Promise<LeadImportRow | undefined> {
  return db.selectFrom("lead_imports").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The newest unfinished import of a file (same fingerprint and size), to resume it. */
export async function findUnfinishedLeadImport(db: Kysely<DB>, fingerprint: string, sizeBytes: number): Promise<LeadImportRow | undefined> {
  return db
    .selectFrom("lead_imports")
    .selectAll()
    .where("fingerprint", "=", fingerprint)
    .where("size_bytes", "=", sizeBytes)
    .where("status", "<>", "done")
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The newest imports first. */
export async function listLeadImports(db: Kysely<DB>, limit: number): Promise<LeadImportRow[]> {
  return db.selectFrom("lead_imports").selectAll().orderBy("created_at", "desc").orderBy("id").limit(limit).execute();
}

/**
 * Takes an import to run it: it must not be done, and not running with a heartbeat newer than
 * `staleBefore` (another runner alive). One statement, so two runners cannot both take it.
 * Delimiter and encoding are kept from the first run unless unset.
 */
export async function claimLeadImport(
  db: Kysely<DB>,
  id: string,
  claim: { now: Date; staleBefore: Date; delimiter: string | null; encoding: string | null },
): Promise<LeadImportRow | undefined> {
  return db
    .updateTable("lead_imports")
    .set({
      status: "running", error: null, heartbeat_at: claim.now, finished_at: null,
      started_at: sql<Date>`coalesce(started_at, ${claim.now})`,
      delimiter: sql<string>`coalesce(delimiter, ${claim.delimiter})`,
      encoding: sql<string>`coalesce(encoding, ${claim.encoding})`,
    })
    .where("id", "=", id)
    .where("status", "<>", "done")
    .where((eb) => eb.or([eb("status", "<>", "running"), eb("heartbeat_at", "is", null), eb("heartbeat_at", "<", claim.staleBefore)]))
    .returningAll()
    .executeTakeFirst();
}

/** Sets the detected delimiter and encoding (the first run's, kept for a resume). */
export async function setLeadImportFormat(db: Kysely<DB>, id: string, delimiter: string, encoding: string): Promise<void> {
  await db.updateTable("lead_imports").set({ delimiter, encoding }).where("id", "=", id).execute();
}

export interface ImportChunkProgress {
  rowsRead: number;
  lastLine: number;
  bytesRead: number;
  created: number;
  updated: number;
  rejected: number;
  now: Date;
}

const REJECTION_COLUMNS = { import_id: "uuid", line: "int", message: "text" } as const satisfies RecordColumns<"lead_import_rejections">;

/**
 * Records a committed chunk, in the chunk's own transaction: counters added, position moved,
 * the rejected rows kept (a line already recorded by an earlier, interrupted run is kept once).
 */
export async function recordLeadImportChunk(
  trx: Transaction<DB>,
  id: string,
  chunk: ImportChunkProgress,
  rejections: readonly { line: number; message: string }[],
): Promise<void> {
  await trx
    .updateTable("lead_imports")
    .set((eb) => ({
      rows_read: chunk.rowsRead, last_line: chunk.lastLine, bytes_read: chunk.bytesRead, heartbeat_at: chunk.now,
      created: eb("created", "+", chunk.created), updated: eb("updated", "+", chunk.updated), rejected: eb("rejected", "+", chunk.rejected),
    }))
    .where("id", "=", id)
    .execute();
  if (rejections.length === 0) return;
  const rows = rejections.map((r) => ({ import_id: id, line: r.line, message: r.message }));
  await insertRecords("lead_import_rejections", REJECTION_COLUMNS, rows, { tail: sql`ON CONFLICT DO NOTHING` }).execute(trx);
}

/** Ends a run: done, or failed with the reason (a failed import may be run again). */
export async function finishLeadImport(db: Kysely<DB>, id: string, end: { status: "done" | "failed"; error: string | null; now: Date }): Promise<void> {
  await db.updateTable("lead_imports").set({ status: end.status, error: end.error, finished_at: end.now, heartbeat_at: end.now }).where("id", "=", id).execute();
}

/** Rejected rows of an import by line, after `afterLine`. */
export async function listLeadImportRejections(db: Kysely<DB>, id: string, afterLine: number, limit: number) {
  return db
    .selectFrom("lead_import_rejections")
    .select(["line", "message"])
    .where("import_id", "=", id)
    .where("line", ">", afterLine)
    .orderBy("line")
    .limit(limit)
    .execute();
}

/** Leads by lower-cased e-mail, locked in id order (the order every writer of several leads takes them in). */
export async function lockLeadsByEmail(trx: Transaction<DB>, emailsLower: readonly string[]) {
  if (emailsLower.length === 0) return [];
  return trx
    .selectFrom("leads")
    .selectAll()
    .where("email_lower", "=", sql<string>`ANY(${[...emailsLower]}::text[])`)
    .orderBy("id")
    .forUpdate()
    .execute();
}

const IMPORTED_LEAD_COLUMNS = {
  id: "uuid", email: "text", email_lower: "text", properties: "jsonb", fit: "float8", total: "float8", tier: "text", flow_state: "jsonb",
} as const satisfies RecordColumns<"leads">;

/**
 * Inserts imported leads in one statement, in e-mail order; an e-mail another writer created
 * meanwhile is skipped. Returns the e-mails (lower-cased) inserted.
 */
export async function insertImportedLeads(
  trx: Transaction<DB>,
  leads: readonly { id: string; email: string; properties: Record<string, unknown>; fit: number; tier: string; flowState: unknown }[],
): Promise<Set<string>> {
  if (leads.length === 0) return new Set();
  const rows = leads.map((l) => ({
    id: l.id, email: l.email, email_lower: l.email.toLowerCase(), properties: l.properties, fit: l.fit, total: l.fit, tier: l.tier,
    flow_state: l.flowState as never,
  }));
  const tail = sql`ON CONFLICT (${sql.id("email_lower")}) DO NOTHING RETURNING email_lower`;
  const result = await insertRecords("leads", IMPORTED_LEAD_COLUMNS, rows, { orderBy: "email_lower", tail }).execute(trx);
  return new Set((result.rows as { email_lower: string }[]).map((r) => r.email_lower));
}

/** A page of leads for the CSV export, in id order after `afterId`, with the owner's e-mail. */
export async function leadsForExport(db: Kysely<DB>, afterId: string | null, limit: number) {
  let query = db
    .selectFrom("leads")
    .leftJoin("sales_reps", "sales_reps.id", "leads.owner_id")
    .select([
      "leads.id", "leads.email", "leads.properties", "leads.stage", "leads.status", "leads.fit", "leads.engagement", "leads.total",
      "leads.tier", "leads.categories", "leads.last_activity_at", "leads.created_at", "sales_reps.email as owner_email",
    ])
    .orderBy("leads.id")
    .limit(limit);
  if (afterId) query = query.where("leads.id", ">", afterId);
  return query.execute();
}

/** The property names leads have, sorted (at most `limit`): the export's property columns. */
export async function leadPropertyNames(db: Kysely<DB>, limit: number): Promise<string[]> {
  const result = await sql<{ name: string }>`
    SELECT DISTINCT jsonb_object_keys(properties) AS name FROM leads ORDER BY name LIMIT ${limit}`.execute(db);
  return result.rows.map((r) => r.name);
}
