/**
 * Lead imports as records (issue 15): an import is started for a file (its name, size and the
 * fingerprint of its first 64 KiB), run over the file's bytes (import-run.ts), watched through
 * its view, and resumed by starting it again for the same file. Its rejected rows are kept by line.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import {
  findLeadImport, findUnfinishedLeadImport, insertLeadImport, listLeadImportRejections, listLeadImports,
  type DB, type Kysely, type LeadImportRow,
} from "@leadflow/db";
import { safeString, Uuid } from "@leadflow/flow";
import type { RuntimeDeps } from "../deps.js";
import { invalidInput, notFound } from "../errors.js";
import { CsvDelimiter, CsvEncoding, HEAD_BYTES } from "./csv.js";

/** A running import whose heartbeat is older than this was interrupted (its process died): it may be taken again. */
export const IMPORT_STALE_MS = 60_000;

/** The fingerprint of a file: sha256 of its first 64 KiB (what a resumed import checks it is given the same file by). */
export function fileFingerprint(head: Uint8Array): string {
  return createHash("sha256").update(head.subarray(0, HEAD_BYTES)).digest("hex");
}

export const LeadImportStart = z.object({
  fileName: safeString(255).min(1, "fileName is required"),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/, "fingerprint: the sha256 (hex) of the file's first 64 KiB"),
  sizeBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  delimiter: CsvDelimiter.optional(),
  encoding: CsvEncoding.optional(),
  /** start afresh even when an unfinished import of the same file exists */
  restart: z.boolean().default(false),
});
export type LeadImportStart = z.input<typeof LeadImportStart>;

export interface LeadImportView {
  id: string;
  fileName: string;
  /** pending (no file yet), running, interrupted (its runner stopped; start it again to resume), done, failed */
  status: "pending" | "running" | "interrupted" | "done" | "failed";
  sizeBytes: number;
  bytesRead: number;
  /** data rows consumed up to the last committed chunk (rejected ones included) */
  rowsRead: number;
  lastLine: number;
  created: number;
  updated: number;
  rejected: number;
  delimiter: string | null;
  encoding: string | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function leadImportView(row: LeadImportRow, now: Date): LeadImportView {
  const stale = row.status === "running" && (!row.heartbeat_at || new Date(row.heartbeat_at).getTime() < now.getTime() - IMPORT_STALE_MS);
  return {
    id: row.id, fileName: row.file_name, status: (stale ? "interrupted" : row.status) as LeadImportView["status"],
    sizeBytes: Number(row.size_bytes), bytesRead: Number(row.bytes_read), rowsRead: row.rows_read, lastLine: row.last_line,
    created: row.created, updated: row.updated, rejected: row.rejected, delimiter: row.delimiter, encoding: row.encoding,
    error: row.error, createdAt: iso(row.created_at)!, startedAt: iso(row.started_at), finishedAt: iso(row.finished_at),
  };
}

/**
 * Starts an import of a file, or finds the unfinished one of the same file (fingerprint and
 * size) to resume: `resumed` says which. Nothing is read yet; runLeadImport reads the file.
 */
export async function startLeadImport(deps: RuntimeDeps, input: unknown): Promise<{ import: LeadImportView; resumed: boolean }> {
  const parsed = LeadImportStart.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "import");
  const start = parsed.data;
  const now = deps.clock.now();
  if (!start.restart) {
    const unfinished = await findUnfinishedLeadImport(deps.db, start.fingerprint, start.sizeBytes);
    if (unfinished) return { import: leadImportView(unfinished, now), resumed: true };
  }
  const row = await insertLeadImport(deps.db, {
    id: deps.newId(), fileName: start.fileName, fingerprint: start.fingerprint, sizeBytes: start.sizeBytes,
    delimiter: start.delimiter ?? null, encoding: start.encoding ?? null, now,
  });
  return { import: leadImportView(row, now), resumed: false };
}

const ImportId = Uuid.describe("an import's id");

async function importRow(db: Kysely<DB>, id: unknown): Promise<LeadImportRow> {
  const parsed = ImportId.safeParse(id);
  const row = parsed.success ? await findLeadImport(db, parsed.data) : undefined;
  if (!row) throw notFound("import");
  return row;
}

export async function getLeadImport(deps: RuntimeDeps, id: unknown): Promise<LeadImportView> {
  return leadImportView(await importRow(deps.db, id), deps.clock.now());
}

export async function listLeadImportViews(deps: RuntimeDeps, limit = 20): Promise<LeadImportView[]> {
  const now = deps.clock.now();
  return (await listLeadImports(deps.db, Math.min(Math.max(limit, 1), 100))).map((r) => leadImportView(r, now));
}

export const RejectionsQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** An import's rejected rows by line, a page at a time (after the line given). */
export async function leadImportRejections(deps: RuntimeDeps, id: unknown, query: unknown): Promise<{ rejections: { line: number; message: string }[] }> {
  const row = await importRow(deps.db, id);
  const parsed = RejectionsQuery.safeParse(query ?? {});
  if (!parsed.success) throw invalidInput(parsed.error.issues, "query");
  return { rejections: await listLeadImportRejections(deps.db, row.id, parsed.data.after, parsed.data.limit) };
}

export { importRow };
