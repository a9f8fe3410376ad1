import { z } from "zod";
import { safeDateTime } from "@leadflow/flow";
import {
  AppError,
  createApiKey,
  createSiteKey,
  listSiteKeyViews,
  revokeSiteKeyById,
  createUser,
  CsvDelimiter,
  CsvEncoding,
  publishFlow,
  saveFlowDraft,
  tick,
} from "@leadflow/runtime";
import type { AppContext } from "./context.js";

/**
 * CLI commands as data: the CLI reads files and parses arguments, then runs the command here,
 * either in its own process or (embedded database owned by a running server) inside the server.
 */
export const CommandRequest = z.discriminatedUnion("command", [
  z.object({ command: z.literal("apikey.create"), name: z.string() }),
  z.object({ command: z.literal("user.create"), email: z.string(), password: z.string(), role: z.string() }),
  z.object({ command: z.literal("flows.apply"), documents: z.array(z.object({ file: z.string(), document: z.unknown() })) }),
  z.object({ command: z.literal("tick"), now: safeDateTime("--now must be an ISO 8601 date-time, e.g. 2026-05-01T09:30:00Z").optional() }),
  // run by the CLI itself over the import routes (cli-transfer.ts), not through /internal/cli
  z.object({
    command: z.literal("leads.import"), file: z.string(), path: z.string(), delimiter: CsvDelimiter.optional(), encoding: CsvEncoding.optional(),
    restart: z.boolean().optional(),
  }),
  z.object({ command: z.literal("leads.export"), file: z.string().optional(), path: z.string().optional() }),
  z.object({ command: z.literal("sitekey.create"), name: z.string(), origins: z.array(z.string()) }),
  z.object({ command: z.literal("sitekey.list") }),
  z.object({ command: z.literal("sitekey.revoke"), id: z.string() }),
]);
export type CommandRequest = z.infer<typeof CommandRequest>;

export interface CommandResult {
  ok: boolean;
  lines: string[];
}

export async function executeCommand(ctx: AppContext, request: CommandRequest): Promise<CommandResult> {
  const { deps } = ctx;
  switch (request.command) {
    case "apikey.create": {
      const { id, name, key } = await createApiKey(deps.db, request.name);
      return { ok: true, lines: [`created API key "${name}" (${id}); it is shown once, keep it secret:`, key] };
    }
    case "user.create": {
      const user = await createUser(deps.db, request);
      return { ok: true, lines: [`created ${user.role} ${user.email} (${user.id})`] };
    }
    case "flows.apply": {
      const lines: string[] = [];
      let ok = true;
      for (const { file, document } of request.documents) {
        const id = (document as { id?: unknown })?.id;
        try {
          if (typeof id !== "string") throw new AppError("invalid_input", "the document has no id");
          await saveFlowDraft(deps.db, id, document);
          const { version } = await publishFlow(deps.db, id);
          lines.push(`${file}: published flow ${id} version ${version}`);
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          ok = false;
          lines.push(`${file}: ${e.message}`);
          for (const issue of e.details?.issues ?? []) lines.push(`  ${issue.nodeId ? `node ${issue.nodeId}: ` : ""}${issue.message} [${issue.code}]`);
          for (const field of e.details?.fields ?? []) lines.push(`  ${field.path}: ${field.message}`);
        }
      }
      return { ok, lines };
    }
    case "tick": {
      const now = request.now ? new Date(request.now) : deps.clock.now();
      const r = await tick(deps, now);
      const o = r.outbox;
      const d = r.decay;
      return {
        ok: true,
        lines: [
          `tick as of ${r.now}: outbox sent ${o.sent}, skipped ${o.skipped}, retried ${o.retried}, dead ${o.dead}`,
          `  timers fired ${r.timers.fired}, dropped ${r.timers.dropped}`,
          `  decay: ${d.leads} leads, ${d.changed} changed, ${d.expired} entries expired, ${d.tierChanges} tier changes, ${d.runs} runs`,
          `  inactive: ${r.inactive.runs} runs; segments: ${r.segments.runs} runs; snapshots: ${r.snapshots.leads} leads`,
        ],
      };
    }
    case "sitekey.create": {
      const k = await createSiteKey(deps.db, { name: request.name, origins: request.origins });
      const where = k.origins.length ? `from ${k.origins.join(", ")}` : "from any website";
      // the key last and alone: scripts take the last line
      return { ok: true, lines: [`created site key "${k.name}" (${k.id}), usable ${where}; it is shown once:`, k.key] };
    }
    case "sitekey.list": {
      const keys = await listSiteKeyViews(deps.db);
      if (keys.length === 0) return { ok: true, lines: ["no site keys yet: pnpm leadflow sitekey create --name NAME"] };
      return {
        ok: true,
        lines: keys.map((k) => `${k.id}  ${k.prefix}…  ${k.name}  ${k.origins.length ? k.origins.join(",") : "any origin"}${k.revokedAt ? `  revoked ${k.revokedAt}` : ""}`),
      };
    }
    case "sitekey.revoke": {
      await revokeSiteKeyById(deps.db, request.id);
      return { ok: true, lines: [`revoked site key ${request.id}: nothing sent with it is accepted any more`] };
    }
    case "leads.import":
    case "leads.export":
      return { ok: false, lines: ["leads import and export stream their files: the CLI runs them over the import routes"] };
  }
}
