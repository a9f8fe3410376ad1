/**
 * Lead import and export over HTTP (issue 15), for scripts (the secret API key), the web app (its
 * session cookie, a marketer or admin) and the local CLI (the control token, while this process
 * owns the embedded database):
 *   POST /api/v1/lead-imports                start an import of a file (or find the unfinished one to resume)
 *   PUT  /api/v1/lead-imports/:id/file       the file's bytes (text/csv), streamed to a temp file; 202, then it runs
 *   GET  /api/v1/lead-imports[/:id]          progress; /:id/rejections the rejected rows by line
 *   GET  /api/v1/leads/export.csv            every lead with its scores, streamed
 * The upload is never held in memory and has no size limit beyond the disk; the import runs after
 * the upload, in chunks that let the event loop go, and the client polls its progress.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import {
  AppError, claimLeadImportRun, exportLeadsCsv, getLeadImport, leadImportRejections, listLeadImportViews, runClaimedImport, startLeadImport,
} from "@leadflow/runtime";
import type { AppContext } from "../context.js";
import { authorizeTransfer } from "./transfer-auth.js";

/** Content types the upload takes as raw bytes (the body is not parsed, only streamed). */
const FILE_TYPES = ["text/csv", "application/octet-stream"];

export function importRoutes(app: FastifyInstance, ctx: AppContext, controlToken?: string) {
  const { deps } = ctx;
  const running = new Set<Promise<unknown>>();
  const stop = new AbortController();

  app.addHook("onRequest", async (request) => authorizeTransfer(request, ctx, controlToken));
  // the file route reads the raw request itself: no parser buffers it (and so no body limit applies)
  app.addContentTypeParser(FILE_TYPES, (_request, _payload, done) => done(null));
  // a shutdown stops running imports after their current chunk (they resume when started again)
  app.addHook("onClose", async () => {
    stop.abort();
    await Promise.allSettled([...running]);
  });

  app.post("/lead-imports", { bodyLimit: 16 * 1024 }, async (request, reply) => {
    const started = await startLeadImport(deps, request.body ?? {});
    return reply.status(started.resumed ? 200 : 201).send(started);
  });
  app.get("/lead-imports", async () => ({ imports: await listLeadImportViews(deps) }));
  app.get<{ Params: { id: string } }>("/lead-imports/:id", async (request) => getLeadImport(deps, request.params.id));
  app.get<{ Params: { id: string } }>("/lead-imports/:id/rejections", async (request) => leadImportRejections(deps, request.params.id, request.query));

  app.put<{ Params: { id: string } }>("/lead-imports/:id/file", async (request, reply) => {
    const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (!FILE_TYPES.includes(type)) throw new AppError("invalid_input", "send the file as text/csv (or application/octet-stream)");
    const before = await getLeadImport(deps, request.params.id);
    if (before.status === "done" || before.status === "running") throw new AppError("conflict", `import ${before.id} is ${before.status}`);
    const dir = await mkdtemp(join(tmpdir(), "leadflow-import-"));
    const file = join(dir, `${randomUUID()}.csv`);
    try {
      await pipeline(request.raw, createWriteStream(file, { mode: 0o600 }));
      const claimed = await claimLeadImportRun(deps, before.id);
      const run = runClaimedImport(deps, claimed, createReadStream(file), { signal: stop.signal })
        .catch((err: unknown) => request.log.error({ err, importId: before.id }, "lead import failed"))
        .finally(() => {
          running.delete(run);
          return rm(dir, { recursive: true, force: true });
        });
      running.add(run);
      return reply.status(202).send(await getLeadImport(deps, before.id));
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  });

  app.get("/leads/export.csv", async (_request, reply) => {
    const stamp = deps.clock.now().toISOString().slice(0, 10);
    // a BOM first: spreadsheet tools then read the file as UTF-8 (the import skips it)
    const body = Readable.from((async function* () {
      yield "\ufeff";
      yield* exportLeadsCsv(deps.db);
    })());
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="leads-${stamp}.csv"`)
      .header("cache-control", "no-store")
      .send(body);
  });
}
