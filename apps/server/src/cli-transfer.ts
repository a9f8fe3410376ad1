/**
 * `leads import` and `leads export` in the CLI. With a server owning the embedded database, over
 * its import routes (the control token): the file is streamed up, then the import's progress
 * polled, so no request waits on the import itself. Otherwise in this process, straight from the file.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { readDataDirOwner } from "@leadflow/db";
import {
  exportLeadsCsv, fileFingerprint, HEAD_BYTES, leadImportRejections, runLeadImport, startLeadImport, type LeadImportView,
} from "@leadflow/runtime";
import type { Env } from "./env.js";
import type { CommandRequest, CommandResult } from "./commands.js";
import { createContext, openConfiguredDatabase } from "./server.js";
import { ImportProgress } from "./cli-progress.js";
import { RemoteImports } from "./cli-remote.js";

type ImportRequest = Extract<CommandRequest, { command: "leads.import" }>;
type ExportRequest = Extract<CommandRequest, { command: "leads.export" }>;

/** Rejected rows the CLI prints (all are kept up to 10,000 and listed by the rejections route). */
const PRINTED_REJECTIONS = 100;

export async function runTransfer(env: Env, request: ImportRequest | ExportRequest): Promise<CommandResult> {
  const owner = env.DATABASE_URL ? undefined : readDataDirOwner(env.DATA_DIR);
  if (owner?.url && owner.controlToken) {
    const remote = new RemoteImports(owner.url, owner.controlToken);
    return request.command === "leads.import" ? importRemote(remote, request) : exportTo(request, () => remote.exportStream());
  }
  const { database, lock } = await openConfiguredDatabase(env);
  try {
    const { deps } = createContext(database, env);
    if (request.command === "leads.export") return await exportTo(request, () => Readable.from(exportLeadsCsv(deps.db)));
    const started = await startLeadImport(deps, await describeFile(request));
    const progress = new ImportProgress();
    announce(started);
    const view = await runLeadImport(deps, started.import.id, createReadStream(request.path), { onProgress: (v) => progress.update(v) });
    progress.done();
    const { rejections } = await leadImportRejections(deps, view.id, { limit: PRINTED_REJECTIONS });
    return report(request.file, view, rejections);
  } finally {
    await database.close();
    lock?.release();
  }
}

/** What the server is told about the file: its name, size and the fingerprint of its start. */
async function describeFile(request: ImportRequest) {
  const size = (await stat(request.path)).size;
  const handle = await open(request.path, "r");
  try {
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    return { fileName: basename(request.file), fingerprint: fileFingerprint(head), sizeBytes: size, delimiter: request.delimiter, encoding: request.encoding, restart: request.restart };
  } finally {
    await handle.close();
  }
}

function announce(started: { import: LeadImportView; resumed: boolean }): void {
  const v = started.import;
  if (started.resumed) process.stderr.write(`resuming import ${v.id} after line ${v.lastLine} (${v.rowsRead} rows done)\n`);
  else process.stderr.write(`import ${v.id} started (pnpm leadflow leads import again resumes it if it stops)\n`);
}

function report(file: string, view: LeadImportView, rejections: { line: number; message: string }[]): CommandResult {
  const lines = [`${file}: ${view.created} created, ${view.updated} updated, ${view.rejected} rejected (import ${view.id}, ${view.status})`];
  if (view.error) lines.push(`  stopped: ${view.error}`);
  for (const r of rejections) lines.push(`  line ${r.line}: ${r.message}`);
  if (view.rejected > rejections.length) lines.push(`  … ${view.rejected - rejections.length} more: GET /api/v1/lead-imports/${view.id}/rejections?after=${rejections.at(-1)?.line ?? 0}`);
  return { ok: view.status === "done" && view.rejected === 0, lines };
}

async function importRemote(remote: RemoteImports, request: ImportRequest): Promise<CommandResult> {
  const started = await remote.start(await describeFile(request));
  announce(started);
  await remote.upload(started.import.id, request.path);
  const progress = new ImportProgress();
  const view = await remote.waitFor(started.import.id, (v) => progress.update(v));
  progress.done();
  return report(request.file, view, await remote.rejections(view.id, PRINTED_REJECTIONS));
}

/** Writes the export to the file given, or to stdout (the summary then goes to stderr). */
async function exportTo(request: ExportRequest, source: () => Readable | Promise<Readable>): Promise<CommandResult> {
  const target: Writable = request.path ? createWriteStream(request.path) : process.stdout;
  let bytes = 0;
  const counted = (await source()).map((chunk: string | Uint8Array) => {
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
    return chunk;
  });
  if (request.path) await pipeline(counted, target);
  else await pipeline(counted, target, { end: false });
  const line = `exported leads to ${request.file ?? "stdout"} (${bytes.toLocaleString("en-US")} bytes)`;
  if (request.path) return { ok: true, lines: [line] };
  process.stderr.write(`${line}\n`);
  return { ok: true, lines: [] };
}

