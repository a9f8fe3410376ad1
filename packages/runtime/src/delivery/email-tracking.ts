import { createHash } from "node:crypto";
import { findLeadAddress, findOutboxJobOrigin, isAddressSuppressed, suppressUnsubscribed } from "@leadflow/db";
import type { RuntimeDeps } from "../deps.js";
import { signingKey } from "./email-settings.js";
import { ingestEvents } from "../intake/ingest.js";
import { detectMachine } from "./machine-traffic.js";
import { verifyToken, type TokenClaims } from "./tracking-token.js";

/** Who fetched a tracking URL, for telling people from proxies and scanners. */
export interface TrackingRequest {
  userAgent?: string;
  ip?: string;
}

const short = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 16);

async function jobFacts(deps: RuntimeDeps, claims: TokenClaims) {
  const job = await findOutboxJobOrigin(deps.db, claims.jobId);
  // a job of another lead would mean a forged token that somehow verified: believe neither
  if (job && job.lead_id !== claims.leadId) return undefined;
  return {
    jobId: claims.jobId,
    templateId: typeof job?.payload.templateId === "string" ? job.payload.templateId : null,
    flowId: job?.flow_id ?? null,
    nodeId: job?.node_id ?? null,
  };
}

/**
 * Records an `email_open` for the token's lead. Idempotent per message and kind of opener: the
 * event id is `email_open:<job>:<human|machine>`, so reloading the pixel scores once, and a
 * privacy proxy's prefetch does not hide the person's own open that follows.
 * Returns false when the token is not genuine.
 */
export async function recordOpen(deps: RuntimeDeps, token: string, request: TrackingRequest): Promise<boolean> {
  const claims = verifyToken(await signingKey(deps), token, "open");
  if (!claims) return false;
  const facts = await jobFacts(deps, claims);
  if (!facts) return false;
  const verdict = detectMachine(request);
  const result = await ingestEvents(deps, [
    {
      id: `email_open:${claims.jobId}:${verdict.machine ? "machine" : "human"}`,
      leadId: claims.leadId,
      type: "email_open",
      properties: { ...facts, machine: verdict.machine, ...(verdict.reason ? { machineReason: verdict.reason } : {}) },
    },
  ]);
  return result.errors.length === 0;
}

/**
 * Records an `email_click` and returns the link's target to redirect to (undefined when the
 * token is not genuine: nobody can make us redirect elsewhere). Idempotent per message, link
 * and kind of clicker: `email_click:<job>:<hash of url>:<human|machine>`.
 */
export async function recordClick(deps: RuntimeDeps, token: string, request: TrackingRequest): Promise<string | undefined> {
  const claims = verifyToken(await signingKey(deps), token, "click");
  if (!claims?.url) return undefined;
  const facts = await jobFacts(deps, claims);
  if (!facts) return undefined;
  const verdict = detectMachine(request);
  await ingestEvents(deps, [
    {
      id: `email_click:${claims.jobId}:${short(claims.url)}:${verdict.machine ? "machine" : "human"}`,
      leadId: claims.leadId,
      type: "email_click",
      properties: { ...facts, url: claims.url, machine: verdict.machine, ...(verdict.reason ? { machineReason: verdict.reason } : {}) },
    },
  ]);
  // the lead may be gone; the person still gets where the link pointed
  return claims.url;
}

/** What the unsubscribe page shows before the person confirms. */
export interface UnsubscribeTarget {
  leadId: string;
  /** the address, partly masked: the page is reachable by anyone holding the link */
  maskedEmail: string;
  alreadyUnsubscribed: boolean;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";
  const local = email.slice(0, at);
  return `${local.slice(0, Math.min(2, local.length))}${"*".repeat(Math.max(1, Math.min(local.length - 2, 6)))}${email.slice(at)}`;
}

export async function findUnsubscribeTarget(deps: RuntimeDeps, token: string): Promise<UnsubscribeTarget | undefined> {
  const claims = verifyToken(await signingKey(deps), token, "unsubscribe");
  if (!claims) return undefined;
  const lead = await findLeadAddress(deps.db, claims.leadId);
  if (!lead) return undefined;
  return { leadId: lead.id, maskedEmail: maskEmail(lead.email), alreadyUnsubscribed: await isAddressSuppressed(deps.db, lead.email_lower) };
}

/**
 * Unsubscribes the token's lead: the address goes on the suppression list first (so nothing
 * is mailed even if what follows fails), then an `unsubscribe` event, scored like any event.
 * Repeating it changes nothing. Returns undefined when the token is not genuine.
 */
export async function unsubscribeByToken(
  deps: RuntimeDeps,
  token: string,
  method: "one-click" | "page",
): Promise<UnsubscribeTarget | undefined> {
  const claims = verifyToken(await signingKey(deps), token, "unsubscribe");
  if (!claims) return undefined;
  const facts = await jobFacts(deps, claims);
  if (!facts) return undefined;
  const lead = await findLeadAddress(deps.db, claims.leadId);
  if (!lead) return undefined;
  await suppressUnsubscribed(deps.db, lead, deps.clock.now());
  await ingestEvents(deps, [
    { id: `unsubscribe:${claims.jobId}`, leadId: lead.id, type: "unsubscribe", properties: { ...facts, method } },
  ]);
  return { leadId: lead.id, maskedEmail: maskEmail(lead.email), alreadyUnsubscribed: true };
}
