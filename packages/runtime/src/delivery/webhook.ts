import { Webhook } from "standardwebhooks";
import { assertNever } from "@leadflow/flow";
import { findWebhookEvent, type OutboxJob } from "@leadflow/db";
import { PermanentDeliveryError } from "@leadflow/mailer";
import type { RuntimeDeps } from "../deps.js";
import { sendWebhookRequest, type WebhookResult } from "./webhook-client.js";
import { webhookSigningSecret } from "./webhook-secret.js";
import { parseAllowList } from "./webhook-target.js";
import type { LeadOwner, LeadScores } from "../scoring/lead-scores.js";
import { loadDeliveryLead, type DeliveryLead } from "./delivery-lead.js";

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** The texts a failed webhook job keeps: the same for every network failure, whatever the port or host did. */
export const WEBHOOK_NOT_ALLOWED = "the webhook address is not allowed: it points to a private or local network";
export const WEBHOOK_UNREACHABLE = "the webhook could not be reached";

/**
 * The version of the webhook body (docs/webhooks.md), sent as the `leadflow-webhook-version`
 * header. Fields are only ever added within a version; a rename or removal raises it.
 */
export const WEBHOOK_BODY_VERSION = 1;

/** The lead as the outside is told about it: a public contract, not the web app's view. */
export interface WebhookLead {
  id: string;
  email: string;
  properties: Record<string, unknown>;
  stage: string;
  status: string;
  owner: LeadOwner | null;
  scores: LeadScores;
  tier: string;
}

/** The event that started the run; null when a timer, decay, inactivity or a segment did. */
export interface WebhookEvent {
  id: string;
  /** the id the sender gave (`id` of POST /api/v1/events), or the one Leadflow made up */
  idempotencyKey: string;
  type: string;
  properties: Record<string, unknown>;
  occurredAt: string;
}

export interface WebhookBody {
  lead: WebhookLead;
  event: WebhookEvent | null;
  flowId: string;
  nodeId: string;
  runId: string;
}

/**
 * Delivers one webhook job: the body signed per Standard Webhooks (`webhook-id` is the job id, the
 * same on every retry so receivers can de-duplicate). "skipped" when the lead no longer exists.
 * Throws PermanentDeliveryError when trying again cannot help (dead letter), Error otherwise
 * (retried with backoff); both carry a message safe to show.
 */
export async function deliverWebhook(deps: RuntimeDeps, job: OutboxJob): Promise<"sent" | "skipped"> {
  const body = await webhookBody(deps, job);
  if (!body) return "skipped";
  const payload = JSON.stringify(body);
  const secret = await webhookSigningSecret(deps.db, deps.clock.now());
  // the wall clock, not the scheduler's as-of time: receivers compare it with theirs to refuse replays
  const signedAt = new Date();
  const result = await sendWebhookRequest(
    {
      url: String(job.payload.url),
      method: job.payload.method === "PUT" ? "PUT" : "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Leadflow-Webhook/1",
        "leadflow-webhook-version": String(WEBHOOK_BODY_VERSION),
        "webhook-id": job.id,
        "webhook-timestamp": String(Math.floor(signedAt.getTime() / 1000)),
        "webhook-signature": new Webhook(secret).sign(job.id, signedAt, payload),
      },
      body: payload,
    },
    { allow: parseAllowList(deps.config.webhookAllow ?? []), timeoutMs: deps.config.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS },
  );
  throwUnlessDelivered(result);
  return "sent";
}

async function webhookBody(deps: RuntimeDeps, job: OutboxJob): Promise<WebhookBody | undefined> {
  const lead = await loadDeliveryLead(deps.db, { id: job.lead_id });
  if (!lead) return undefined;
  const eventId = job.payload.eventId;
  const event = typeof eventId === "string" ? await findWebhookEvent(deps.db, job.lead_id, eventId) : undefined;
  return {
    lead: webhookLead(lead),
    event: event
      ? { id: event.id, idempotencyKey: event.idempotency_key, type: event.type, properties: event.properties, occurredAt: new Date(event.occurred_at).toISOString() }
      : null,
    flowId: job.flow_id,
    nodeId: job.node_id,
    runId: job.run_id,
  };
}

/** The public lead: the fields of body version 1, picked one by one so nothing else leaks out. */
function webhookLead(lead: DeliveryLead): WebhookLead {
  const { id, email, properties, stage, status, owner, scores, tier } = lead;
  return { id, email, properties, stage, status, owner, scores, tier };
}

/**
 * 2xx is delivered. A redirect is not followed (it could point inside) and, like a 4xx, will not
 * change by retrying; 408, 429 and 5xx may. An unreachable target is retried.
 */
function throwUnlessDelivered(result: WebhookResult): void {
  switch (result.kind) {
    case "bad_url":
      throw new PermanentDeliveryError(result.message);
    case "refused":
      throw new PermanentDeliveryError(WEBHOOK_NOT_ALLOWED);
    case "unreachable":
      throw new Error(WEBHOOK_UNREACHABLE);
    case "answered": {
      const { status } = result;
      if (status >= 200 && status < 300) return;
      if (status >= 300 && status < 400) {
        throw new PermanentDeliveryError(`the webhook answered ${status}: redirects are not followed, give the final address`);
      }
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) throw new PermanentDeliveryError(`the webhook answered ${status}`);
      throw new Error(`the webhook answered ${status}`);
    }
    default:
      assertNever(result, "webhook result");
  }
}
