import type { RuntimeDeps } from "../deps.js";
import { ingestEvents, type IngestResult } from "./ingest.js";

/**
 * Types a public site key may not write: what only Leadflow itself observes (e-mail opens,
 * clicks, bounces, unsubscribes) or records (deals, system events). A website forging them
 * could unsubscribe a lead or fake engagement with e-mail it never read.
 */
const RESERVED_EXACT = new Set(["email_open", "email_click", "email_bounce", "unsubscribe"]);
const RESERVED_PREFIX = /^(email_|unsubscribe|deal[._:]|system[._:]|leadflow[._:])/i;

/** Whether an event of this type may be written with a site key (page views, forms, custom types). */
export function siteKeyMayWrite(type: string): boolean {
  return !RESERVED_EXACT.has(type) && !RESERVED_PREFIX.test(type);
}

/** The fields a browser may send; a lead id is not one (a public key must not write to a lead it names). */
const BROWSER_FIELDS = ["id", "type", "anonymousId", "email", "properties", "occurredAt"] as const;

/**
 * Tracking events sent with a site key, through the one ingest path (dedupe by id, per-event
 * errors, scoring). Refused per event, at its index: reserved types and a `leadId`. A time in
 * the future (a visitor's clock running fast) is taken as now.
 */
export async function ingestSiteEvents(deps: RuntimeDeps, events: readonly unknown[]): Promise<IngestResult> {
  const errors: IngestResult["errors"] = [];
  const passed: unknown[] = [];
  const indexOf: number[] = [];
  const now = deps.clock.now();
  events.forEach((raw, index) => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      errors.push({ index, message: "an event must be an object" });
      return;
    }
    const event = raw as Record<string, unknown>;
    if ("leadId" in event) {
      errors.push({ index, message: "leadId: a site key cannot name a lead; send email or anonymousId" });
      return;
    }
    if (typeof event.type === "string" && !siteKeyMayWrite(event.type)) {
      errors.push({ index, message: `type: a site key cannot send ${event.type.slice(0, 100)} events` });
      return;
    }
    const picked: Record<string, unknown> = {};
    for (const field of BROWSER_FIELDS) if (event[field] !== undefined) picked[field] = event[field];
    if (typeof picked.occurredAt === "string" && Date.parse(picked.occurredAt) > now.getTime()) picked.occurredAt = now.toISOString();
    passed.push(picked);
    indexOf.push(index);
  });
  if (passed.length === 0) return { accepted: 0, duplicates: 0, errors };
  const result = await ingestEvents(deps, passed);
  return {
    accepted: result.accepted,
    duplicates: result.duplicates,
    errors: [...errors, ...result.errors.map((e) => ({ ...e, index: indexOf[e.index]! }))].sort((a, b) => a.index - b.index),
  };
}
