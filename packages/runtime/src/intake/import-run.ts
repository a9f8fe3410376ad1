/**
 * Runs a lead import over a file's bytes: rows read as they stream in, a chunk at a time through
 * the bulk upsert (lead-rows.ts), each chunk committed with the import's progress in one
 * transaction, so a run started again continues after the last committed chunk. Between chunks
 * the event loop is let go, so the server keeps answering (the embedded database is in-process).
 */
import { claimLeadImport, finishLeadImport, findLeadImport, recordLeadImportChunk, setLeadImportFormat, type LeadImportRow } from "@leadflow/db";
import type { RuntimeDeps } from "../deps.js";
import { AppError } from "../errors.js";
import { withRetry } from "../retry.js";
import { CsvFormatError, CsvReader, type CsvDelimiter, type CsvEncoding, type CsvRow } from "./csv.js";
import { fileFingerprint, IMPORT_STALE_MS, importRow, leadImportView, type LeadImportView } from "./import-leads.js";
import { upsertLeadRows, validateLeadRows, type LeadRowInput, type RejectedRow } from "./lead-rows.js";

/** Rows per transaction: small enough that one chunk holds the embedded database for tens of milliseconds. */
export const IMPORT_CHUNK_ROWS = 100;
/** Columns a file may have: the e-mail and as many properties as a lead may hold (LeadInput's limit). */
export const MAX_IMPORT_COLUMNS = 201;
/** Rejected rows kept per import (all are counted). */
export const MAX_KEPT_REJECTIONS = 10_000;

const COLUMN_NAME = /^[\w.-]{1,100}$/;
const EMAIL_COLUMN = /^e-?mail$/i;

/** The header's column names: an e-mail column, property names as a lead's, no repeats. */
export function checkHeader(fields: readonly string[]): string[] {
  if (fields.length > MAX_IMPORT_COLUMNS) throw new CsvFormatError(`line 1: ${fields.length} columns; at most ${MAX_IMPORT_COLUMNS} (an email column and 200 properties)`);
  const names = fields.map((f) => f.trim());
  const seen = new Set<string>();
  for (const [i, name] of names.entries()) {
    if (!COLUMN_NAME.test(name)) {
      throw new CsvFormatError(`line 1: column ${i + 1} ${JSON.stringify(name.slice(0, 100))}: column names use letters, digits, _ . - (at most 100)`);
    }
    if (seen.has(name.toLowerCase())) throw new CsvFormatError(`line 1: column ${JSON.stringify(name)} appears twice`);
    seen.add(name.toLowerCase());
  }
  const email = names.findIndex((n) => EMAIL_COLUMN.test(n));
  if (email < 0) throw new CsvFormatError("line 1: the file needs an email column (its header names the columns)");
  return names.map((n, i) => (i === email ? "email" : n));
}

export interface RunOptions {
  /** after each committed chunk (the CLI prints progress from it) */
  onProgress?: (view: LeadImportView) => void;
  /** stops the run after the chunk being written (a server shutting down); the import resumes later */
  signal?: AbortSignal;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs (or resumes) an import over its file's bytes: claimLeadImportRun, then runClaimedImport.
 * A malformed file ends the import failed, with the line, after the rows before it.
 */
export async function runLeadImport(deps: RuntimeDeps, id: unknown, source: AsyncIterable<Uint8Array>, options: RunOptions = {}): Promise<LeadImportView> {
  return runClaimedImport(deps, await claimLeadImportRun(deps, id), source, options);
}

/** An import taken by this runner. */
export type ClaimedImport = LeadImportRow & { readonly claimed: true };

/** Takes an import to run; refused (conflict) when it is done or another runner is alive. */
export async function claimLeadImportRun(deps: RuntimeDeps, id: unknown): Promise<ClaimedImport> {
  const before = await importRow(deps.db, id);
  const now = deps.clock.now();
  if (before.status === "done") throw new AppError("conflict", `import ${before.id} is done; start a new one to import the file again`);
  const claimed = await claimLeadImport(deps.db, before.id, { now, staleBefore: new Date(now.getTime() - IMPORT_STALE_MS), delimiter: null, encoding: null });
  if (!claimed) throw new AppError("conflict", `import ${before.id} is running`);
  return { ...claimed, claimed: true };
}

/**
 * Runs a claimed import over the file's bytes. A file whose first 64 KiB differ from the
 * started one is refused; `signal` stops it after the chunk being written (resumable).
 */
export async function runClaimedImport(deps: RuntimeDeps, claimed: ClaimedImport, source: AsyncIterable<Uint8Array>, options: RunOptions = {}): Promise<LeadImportView> {
  const reader = new CsvReader(source, { delimiter: claimed.delimiter as CsvDelimiter | null, encoding: claimed.encoding as CsvEncoding | null });
  let failure: string | null = null;
  try {
    await importRows(deps, claimed.id, reader, { skip: claimed.rows_read, kept: claimed.rejected, fingerprint: claimed.fingerprint }, options);
  } catch (e) {
    if (!(e instanceof CsvFormatError || e instanceof AppError)) {
      await finishLeadImport(deps.db, claimed.id, { status: "failed", error: "the import stopped on an internal error; run it again to resume", now: deps.clock.now() });
      throw e;
    }
    failure = e.message;
  }
  await finishLeadImport(deps.db, claimed.id, { status: failure ? "failed" : "done", error: failure, now: deps.clock.now() });
  return leadImportView((await findLeadImport(deps.db, claimed.id))!, deps.clock.now());
}

interface Position {
  /** data rows an earlier run committed: read past, not imported again */
  skip: number;
  /** rejections already kept */
  kept: number;
  fingerprint: string;
}

async function importRows(deps: RuntimeDeps, id: string, reader: CsvReader, at: Position, options: RunOptions): Promise<void> {
  let header: string[] | undefined;
  let index = 0;
  let chunk: CsvRow[] = [];
  const flush = async (lastLine: number) => {
    at.kept += await commitChunk(deps, id, header!, chunk, { rowsRead: index, lastLine, bytesRead: reader.bytesRead, kept: at.kept });
    chunk = [];
    if (options.onProgress) options.onProgress(leadImportView((await findLeadImport(deps.db, id))!, deps.clock.now()));
    await yieldToEventLoop();
  };
  let lastLine = 0;
  for await (const row of reader.rows()) {
    if (!header) {
      if (fileFingerprint(reader.head) !== at.fingerprint) throw new AppError("conflict", "this is not the file the import was started with (its first 64 KiB differ)");
      header = checkHeader(row.fields);
      await setLeadImportFormat(deps.db, id, reader.delimiter!, reader.encoding!);
      continue;
    }
    if (options.signal?.aborted) throw new AppError("unavailable", "the import was stopped (the server is shutting down); start it again to resume");
    index++;
    lastLine = row.line;
    if (index <= at.skip) continue;
    chunk.push(row);
    if (chunk.length >= IMPORT_CHUNK_ROWS) await flush(row.line);
  }
  if (!header) throw new CsvFormatError("the file is empty: it needs a header line naming the columns");
  if (chunk.length > 0) await flush(lastLine);
}

/** One chunk's rows upserted and the import's progress moved, in one transaction; returns the rejections kept. */
async function commitChunk(
  deps: RuntimeDeps,
  id: string,
  header: string[],
  rows: CsvRow[],
  progress: { rowsRead: number; lastLine: number; bytesRead: number; kept: number },
): Promise<number> {
  const inputs: LeadRowInput[] = [];
  const rejected: RejectedRow[] = [];
  for (const row of rows) {
    if (row.fields.length !== header.length) {
      rejected.push({ line: row.line, message: `expected ${header.length} fields, found ${row.fields.length}` });
      continue;
    }
    const properties: Record<string, string> = {};
    for (const [i, name] of header.entries()) if (name !== "email" && row.fields[i] !== "") properties[name] = row.fields[i]!;
    inputs.push({ line: row.line, email: row.fields[header.indexOf("email")]!.trim(), properties });
  }
  const checked = validateLeadRows(inputs);
  rejected.push(...checked.rejected);
  rejected.sort((a, b) => a.line - b.line);
  const keep = rejected.slice(0, Math.max(0, MAX_KEPT_REJECTIONS - progress.kept));
  await withRetry(() =>
    deps.db.transaction().execute(async (trx) => {
      const { created, updated } = await upsertLeadRows(deps, trx, checked.valid);
      await recordLeadImportChunk(trx, id, { ...progress, created, updated, rejected: rejected.length, now: deps.clock.now() }, keep);
    }),
  );
  return keep.length;
}
