export * from "./errors.js";
export * from "./deps.js";
export { ingestEvents, appendEvents, MAX_BATCH, type IngestResult, type AppendResult } from "./intake/ingest.js";
export { ScoringConsumer, type ConsumerOptions } from "./scoring/consumer.js";
export { scoreQueuedFor } from "./scoring/consumer-score.js";
export { receiveEvents, WAIT_LIMIT_MS, type ReceiveAnswer } from "./intake/receive-events.js";
export { EventInput } from "./intake/event-input.js";
export { upsertLead, LeadInput } from "./scoring/leads.js";
export { getLead, type LeadView } from "./read/lead-view.js";
export { saveFlowDraft, getFlow, listFlows, publishFlow, getFlowVersion, FlowCache, type FlowRecord } from "./flows.js";
export { loadScoringModel, saveScoringModel } from "./settings/scoring-model.js";
export { rescoreAllLeads, changeScoringModel } from "./scoring/rescore.js";
export { saveTemplate, getTemplate, listTemplates, TemplateInput as TemplateInputSchema, type Template } from "./delivery/templates.js";
export { saveReps, listReps, RepsInput, type RepView } from "./settings/reps.js";
export { createApiKey, verifyApiKey, createUser, createFirstAdmin, verifyPassword, hashPassword } from "./settings/credentials.js";
// callers that authorize by role (the API) take it from here; it is the vocabulary's enum
export { Role } from "@leadflow/flow";
export { deliverDue, type DeliveryReport } from "./delivery/outbox.js";
export { WEBHOOK_NOT_ALLOWED, WEBHOOK_UNREACHABLE, type WebhookBody, type WebhookLead, type WebhookEvent } from "./delivery/webhook.js";
export { rotateWebhookSecret, webhookSecretStatus, type WebhookSecretStatus } from "./delivery/webhook-secret.js";
export { parseAllowEntry } from "./delivery/webhook-target.js";
export { tick, type TickReport, type TickOptions } from "./scheduler/scheduler.js";
export { fireDueTimers, type TimerReport } from "./scheduler/timers.js";
export { applyDecay, type DecayReport, type DecayOptions } from "./scheduler/decay.js";
export { fireInactivity, type TriggerReport } from "./scheduler/inactivity.js";
export { fireSegments, latestOccurrence } from "./scheduler/segments.js";
export { takeSnapshots, leadTrend, weekOf } from "./scheduler/snapshots.js";
export { loadWorkspace, saveWorkspace } from "./settings/workspace.js";
export { Workspace, FrequencyCap } from "./settings/settings-store.js";
export {
  startLeadImport, getLeadImport, listLeadImportViews, leadImportRejections, fileFingerprint, LeadImportStart, type LeadImportView,
} from "./intake/import-leads.js";
export { runLeadImport, claimLeadImportRun, runClaimedImport, IMPORT_CHUNK_ROWS, type ClaimedImport } from "./intake/import-run.js";
export { CsvDelimiter, CsvEncoding, CsvReader, HEAD_BYTES } from "./intake/csv.js";
export { exportLeadsCsv, neutralise } from "./read/lead-export.js";
export {
  signIn,
  signOut,
  signOutEverywhere,
  openSession,
  findSession,
  hasUsers,
  SESSION_DAYS,
  type SessionUser,
  type SignInRequest,
  type OpenedSession,
} from "./settings/sessions.js";
export { listLeads, emptyLeadPage, LeadListQuery, type LeadRowView, type LeadPage } from "./read/lead-list.js";
export { dashboardStats, type DashboardStats } from "./read/dashboard.js";
export { leadActivity, type LeadActivity } from "./read/lead-activity.js";
export { nodePassCounts, listFlowVersions } from "./read/flow-stats.js";
export { listMailbox } from "./delivery/mailbox.js";
export { listOutbox, retryJob, type OutboxJobView } from "./delivery/outbox-admin.js";
export { signingKey, loadFrequencyCap, saveFrequencyCap, DEFAULT_FREQUENCY_CAP } from "./delivery/email-settings.js";
export { signToken, verifyToken, MAX_TOKEN_LENGTH, type TokenClaims, type TokenKind } from "./delivery/tracking-token.js";
export { detectMachine, type MachineVerdict } from "./delivery/machine-traffic.js";
export { recordOpen, recordClick, findUnsubscribeTarget, unsubscribeByToken, maskEmail, type TrackingRequest, type UnsubscribeTarget } from "./delivery/email-tracking.js";
export { sendTestEmail, TestEmailInput } from "./delivery/test-email.js";
export { previewTemplate, type TemplatePreview } from "./delivery/template-preview.js";
export { previewDecay, DecayPreviewInput, type DecayPreview } from "./read/decay-preview.js";
export {
  createSiteKey,
  listSiteKeyViews,
  revokeSiteKeyById,
  verifySiteKey,
  looksLikeSiteKey,
  type SiteKeyView,
  type VerifiedSiteKey,
} from "./settings/site-keys.js";
export { ingestSiteEvents } from "./intake/site-intake.js";
export { ingestSegment, loadEventNames, saveEventNames, type SegmentResult } from "./intake/segment-intake.js";
export { SEGMENT_CALLS } from "./intake/segment-mapping.js";
