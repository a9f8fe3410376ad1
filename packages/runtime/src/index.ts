export * from "./errors.js";
export * from "./deps.js";
export { ingestEvents, MAX_BATCH, type IngestResult } from "./ingest.js";
export { EventInput } from "./event-input.js";
export { upsertLead, getLead, LeadInput, type LeadView } from "./leads.js";
export { saveFlowDraft, getFlow, listFlows, publishFlow, getFlowVersion, FlowCache, type FlowRecord } from "./flows.js";
export { loadScoringModel, saveScoringModel, ScoringModelInput } from "./scoring-model.js";
export { rescoreAllLeads } from "./rescore.js";
export { saveTemplate, getTemplate, listTemplates, TemplateInput as TemplateInputSchema, type Template } from "./templates.js";
export { saveReps, listReps, type RepView } from "./reps.js";
export { createApiKey, verifyApiKey, createUser, createFirstAdmin, verifyPassword, hashPassword, Role } from "./credentials.js";
export { deliverDue, type DeliveryReport } from "./outbox.js";
export { backoffMs, MAX_ATTEMPTS } from "./outbox-backoff.js";
export { WEBHOOK_NOT_ALLOWED, WEBHOOK_UNREACHABLE, type WebhookBody, type WebhookLead, type WebhookEvent } from "./webhook.js";
export { rotateWebhookSecret, webhookSecretStatus, type WebhookSecretStatus } from "./webhook-secret.js";
export { parseAllowEntry } from "./webhook-target.js";
export { tick, type TickReport, type TickOptions } from "./scheduler.js";
export { fireDueTimers, type TimerReport } from "./timers.js";
export { applyDecay, type DecayReport, type DecayOptions } from "./decay.js";
export { fireInactivity, type TriggerReport } from "./inactivity.js";
export { fireSegments, latestOccurrence } from "./segments.js";
export { takeSnapshots, leadTrend, weekOf } from "./snapshots.js";
export { loadWorkspace, saveWorkspace, WorkspaceInput, type Workspace } from "./workspace.js";
export { importLeadsCsv } from "./import-leads.js";
export { parseCsv } from "./csv.js";
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
} from "./sessions.js";
export { listLeads, emptyLeadPage, LeadListQuery, type LeadRowView, type LeadPage } from "./lead-list.js";
export { dashboardStats, type DashboardStats } from "./dashboard.js";
export { leadActivity, type LeadActivity } from "./lead-activity.js";
export { nodePassCounts, listFlowVersions } from "./flow-stats.js";
export { listMailbox } from "./mailbox.js";
export { listOutbox, retryJob, OUTBOX_STATUSES, type OutboxJobView, type OutboxStatus } from "./outbox-admin.js";
export { signingKey, loadFrequencyCap, saveFrequencyCap, FrequencyCap, DEFAULT_FREQUENCY_CAP } from "./email-settings.js";
export { signToken, verifyToken, MAX_TOKEN_LENGTH, type TokenClaims, type TokenKind } from "./tracking-token.js";
export { detectMachine, type MachineVerdict } from "./machine-traffic.js";
export { recordOpen, recordClick, findUnsubscribeTarget, unsubscribeByToken, maskEmail, type TrackingRequest, type UnsubscribeTarget } from "./email-tracking.js";
export { sendTestEmail, TestEmailInput } from "./test-email.js";
export { previewDecay, DecayPreviewInput, type DecayPreview } from "./decay-preview.js";
export {
  createSiteKey,
  listSiteKeyViews,
  revokeSiteKeyById,
  verifySiteKey,
  looksLikeSiteKey,
  type SiteKeyView,
  type VerifiedSiteKey,
} from "./site-keys.js";
export { ingestSiteEvents } from "./site-intake.js";
export { ingestSegment, loadEventNames, saveEventNames, type SegmentResult } from "./segment-intake.js";
export { SEGMENT_CALLS } from "./segment-mapping.js";
