import { z } from "zod";

/**
 * The REST API's answers as zod schemas, for the OpenAPI document and the generated client.
 * They restate the runtime's view types (LeadView, IngestResult, OutboxJobView, SiteKeyView…);
 * tests serve with response checking on, so an answer that leaves its schema fails there.
 * An answer may carry more fields than listed (the check reads the listed ones).
 */
const iso = z.string().describe("ISO 8601 date-time");

export const IngestResultSchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    errors: z.array(z.object({ index: z.number().int(), message: z.string() })),
  })
  .meta({ id: "IngestResult" });

/** `?wait=true` past its wait: stored, `pending` of them not yet scored */
export const PendingResultSchema = IngestResultSchema.extend({ pending: z.number().int() });

const LeadOwner = z.object({ id: z.string(), name: z.string(), email: z.string() });
const LeadScores = z.object({ fit: z.number(), engagement: z.number(), total: z.number(), categories: z.record(z.string(), z.number()) });

export const LeadViewSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    properties: z.record(z.string(), z.unknown()),
    stage: z.string(),
    status: z.string(),
    owner: LeadOwner.nullable(),
    scores: LeadScores,
    tier: z.string(),
    fit: z.array(z.object({ field: z.string(), op: z.string(), value: z.unknown().optional(), points: z.number() })),
    ledger: z.array(
      z.object({
        delta: z.number(),
        category: z.string().nullable(),
        flowId: z.string().nullable(),
        nodeId: z.string().nullable(),
        eventId: z.string().nullable(),
        at: iso,
        processedAt: iso,
        reason: z.string(),
      }),
    ),
    lastActivityAt: iso.nullable(),
    createdAt: iso,
    trend: z.array(z.object({ week: z.string(), total: z.number(), fit: z.number(), engagement: z.number() })),
  })
  .meta({ id: "Lead" });

export const FlowSummarySchema = z.object({ id: z.string(), name: z.string(), publishedVersion: z.number().int().nullable(), updatedAt: iso });
export const PublishedSchema = z.object({ id: z.string(), version: z.number().int() });
/** a flow's draft document with its published version and the checker's issues */
export const FlowViewSchema = z.object({ publishedVersion: z.number().int().nullable(), issues: z.array(z.unknown()) });

export const TemplateSchema = z.object({ id: z.string(), subject: z.string(), html: z.string() }).meta({ id: "Template" });

export const OutboxJobSchema = z.object({
  id: z.string(),
  leadId: z.string(),
  leadEmail: z.string().nullable(),
  flowId: z.string(),
  nodeId: z.string(),
  jobType: z.string(),
  templateId: z.string().nullable(),
  status: z.string(),
  attempts: z.number().int(),
  nextAttemptAt: iso,
  lastError: z.string().nullable(),
  messageId: z.string().nullable(),
  createdAt: iso,
  sentAt: iso.nullable(),
});

export const SiteKeyViewSchema = z
  .object({ id: z.string(), name: z.string(), prefix: z.string(), origins: z.array(z.string()), createdAt: iso, revokedAt: iso.nullable() })
  .meta({ id: "SiteKey" });
export const CreatedSiteKeySchema = SiteKeyViewSchema.extend({ key: z.string().describe("the key itself, shown only in this answer") });

export const WebhookSecretStatusSchema = z.object({ exists: z.boolean(), createdAt: iso.nullable() });
export const WebhookSecretSchema = z.object({ secret: z.string(), createdAt: iso });

/** The local control endpoint's answer (commands.ts CommandResult). */
export const CommandResultSchema = z.object({ ok: z.boolean(), lines: z.array(z.string()) });
