import {
  enqueueEvents, findKnownEmails, findLeadKeys, insertEvents, insertNewLeads, notifyEventsQueued,
  type DB, type Kysely, type Transaction,
} from "@leadflow/db";
import { computeFit, tierFor } from "@leadflow/engine";
import type { RuntimeDeps } from "../deps.js";
import { parseEvents, type Pending } from "./event-input.js";
import { emptyLead } from "../scoring/lead-state.js";
import { loadScoringModel } from "../settings/scoring-model.js";
import { ConcurrentUpdate } from "../scoring/engine-session.js";
import { wakeConsumers } from "../scoring/consumer-wake.js";
import { withRetry } from "../retry.js";
import { IdentityPlan, mergeVisitor, storedVisitorKey } from "./identity.js";

export interface IngestResult {
  accepted: number;
  duplicates: number;
  errors: { index: number; message: string }[];
}

/** What appendEvents stored and queued: the events to be scored and their leads. */
export interface AppendResult extends IngestResult {
  queued: { eventIds: string[]; leadIds: string[] };
}

type Trx = Transaction<DB>;
/** what an append needs of a lead: its id and e-mail (not the row: the consumer reads that, locked) */
type LeadKey = { id: string; email_lower: string };

interface Storable extends Pending {
  leadId: string | null;
  /** visitor keys this event identifies as its lead's (their earlier anonymous events are merged) */
  newKeys: string[];
}

/**
 * Validates, dedupes by idempotency key and stores a batch durably, without scoring it and
 * without locking a lead (issue 10): leads for new e-mails are created first in their own short
 * statement, then one transaction resolves identities, inserts the events (one statement) and
 * queues those that have a lead for the scoring consumers, in input order; a visitor identified
 * here has its earlier anonymous events queued first, oldest first. Anonymous events are stored
 * and queued when their visitor is identified.
 */
export async function appendEvents(deps: RuntimeDeps, events: unknown[]): Promise<AppendResult> {
  const { pending, duplicates, errors } = parseEvents(events, () => deps.newId());
  if (pending.length === 0) return { accepted: 0, duplicates, errors, queued: { eventIds: [], leadIds: [] } };
  const emails = new Map<string, string>(); // lower-cased -> as first given
  for (const p of pending) {
    if (p.input.email && !p.input.leadId) {
      const lower = p.input.email.toLowerCase();
      if (!emails.has(lower)) emails.set(lower, p.input.email);
    }
  }
  if (emails.size > 0) await createLeads(deps, deps.db, emails);
  const outcome = await withRetry(() => deps.db.transaction().execute((trx) => storeBatch(deps, trx, pending, emails)));
  if (outcome.queued.eventIds.length > 0) wakeConsumers();
  return {
    ...outcome,
    duplicates: duplicates + outcome.duplicates,
    errors: [...errors, ...outcome.errors].sort((a, b) => a.index - b.index),
  };
}

async function storeBatch(deps: RuntimeDeps, trx: Trx, pending: Pending[], emails: Map<string, string>): Promise<AppendResult> {
  const now = deps.clock.now();
  const errors: IngestResult["errors"] = [];
  const identities = await IdentityPlan.load(trx, pending.map((p) => p.input));
  const givenIds = new Set([...pending.flatMap((p) => (p.input.leadId ? [p.input.leadId] : [])), ...identities.knownLeadIds()]);
  const { byEmail, rows: read } = await resolveLeads(deps, trx, emails, givenIds);
  const storable: Storable[] = [];
  for (const p of pending) {
    let leadId: string | null = null;
    if (p.input.leadId) {
      if (!read.has(p.input.leadId)) {
        errors.push({ index: p.index, message: `leadId: no lead with id ${p.input.leadId}` });
        continue;
      }
      leadId = p.input.leadId;
    } else if (p.input.email) leadId = byEmail.get(p.input.email.toLowerCase())!;
    const resolved = identities.resolve(leadId, p.input, (id) => read.has(id));
    storable.push({ ...p, leadId: resolved.leadId, newKeys: resolved.newKeys });
  }
  const stored = await storeEvents(trx, storable, now.toISOString());
  const queue: { eventId: string; leadId: string }[] = [];
  for (const p of storable) {
    if (!p.leadId || !stored.has(p.id)) continue;
    // a visitor identified by this event: what it did before it was known is scored first, oldest first
    if (p.newKeys.length > 0) for (const e of await mergeVisitor(trx, p.leadId, p.newKeys, now)) queue.push({ eventId: e.id, leadId: p.leadId });
    queue.push({ eventId: p.id, leadId: p.leadId });
  }
  await enqueueEvents(trx, queue);
  if (queue.length > 0) await notifyEventsQueued(trx);
  const leadIds = [...new Set(queue.map((q) => q.leadId))];
  return { accepted: stored.size, duplicates: storable.length - stored.size, errors, queued: { eventIds: queue.map((q) => q.eventId), leadIds } };
}

/**
 * The batch's leads read without locking them: e-mails looked up, the missing ones inserted
 * (sorted, so concurrent creators wait on each other in one order), and those another
 * transaction created meanwhile looked up again.
 */
async function resolveLeads(
  deps: RuntimeDeps,
  trx: Trx,
  emails: Map<string, string>,
  givenIds: Set<string>,
): Promise<{ byEmail: Map<string, string>; rows: Map<string, LeadKey> }> {
  const byEmail = new Map<string, string>();
  const rows = new Map<string, LeadKey>();
  const keep = (found: LeadKey[]) => {
    for (const r of found) {
      if (emails.has(r.email_lower)) byEmail.set(r.email_lower, r.id);
      rows.set(r.id, r);
    }
  };
  if (emails.size + givenIds.size === 0) return { byEmail, rows };
  keep(await findLeadKeys(trx, [...emails.keys()], [...givenIds]));
  const missing = [...emails.keys()].filter((e) => !byEmail.has(e));
  if (missing.length > 0) {
    keep(await insertLeads(deps, trx, emails, missing));
    const raced = missing.filter((e) => !byEmail.has(e));
    if (raced.length > 0) {
      keep(await findLeadKeys(trx, raced));
      if (raced.some((e) => !byEmail.has(e))) throw new ConcurrentUpdate("a lead of the batch was deleted meanwhile");
    }
  }
  return { byEmail, rows };
}

/** Creates the leads of the e-mails not known yet (outside the batch's transaction). */
async function createLeads(deps: RuntimeDeps, db: Kysely<DB>, emails: Map<string, string>): Promise<void> {
  const have = await findKnownEmails(db, [...emails.keys()]);
  const missing = [...emails.keys()].filter((e) => !have.has(e));
  if (missing.length > 0) await insertLeads(deps, db, emails, missing);
}

/** Inserts leads for e-mails, in e-mail order; those another transaction created first are skipped. */
async function insertLeads(deps: RuntimeDeps, db: Kysely<DB>, emails: Map<string, string>, missing: string[]): Promise<LeadKey[]> {
  const model = await loadScoringModel(db);
  const fit = computeFit(model.fitRules, emptyLead());
  const tier = tierFor(model.tiers, fit);
  return insertNewLeads(db, missing.map((e) => ({ id: deps.newId(), email: emails.get(e)!, email_lower: e, fit, total: fit, tier })));
}

/**
 * Stores the events (one statement, deduplicated by idempotency key, in key order so batches
 * sharing keys cannot deadlock); returns the ids of those stored. An unsubscribe or bounce fires
 * 0004's trigger, which sets its lead's status: the only lead row an append touches.
 */
async function storeEvents(trx: Trx, events: Storable[], nowIso: string): Promise<Set<string>> {
  return insertEvents(
    trx,
    events.map((p) => ({
      id: p.id, idempotency_key: p.key, lead_id: p.leadId, anonymous_id: storedVisitorKey(p.input), type: p.input.type,
      properties: p.input.properties, occurred_at: p.input.occurredAt ?? nowIso,
    })),
  );
}
