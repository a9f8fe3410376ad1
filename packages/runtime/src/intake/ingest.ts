import {
  findKnownEmails, findLeadsById, findVersionedLeads, insertEvents, insertNewLeads, lockLeadVersions,
  type DB, type Kysely, type Transaction, type VersionedLeadRow,
} from "@leadflow/db";
import { applyEvent, computeFit, tierFor, updateLeadProperties } from "@leadflow/engine";
import { formFields } from "./form-fields.js";
import type { RuntimeDeps } from "../deps.js";
import { parseEvents, type Pending } from "./event-input.js";
import { emptyLead, leadStateFromRow, type LeadRow } from "../scoring/lead-state.js";
import { loadScoringModel } from "../settings/scoring-model.js";
import { ConcurrentUpdate, EngineSession } from "../scoring/engine-session.js";
import { withRetry } from "../retry.js";
import { IdentityPlan, mergeVisitor, storedVisitorKey } from "./identity.js";

export const MAX_BATCH = 1000;

export interface IngestResult {
  accepted: number;
  duplicates: number;
  errors: { index: number; message: string }[];
}

type Trx = Transaction<DB>;

/**
 * Applies a batch of events as DESIGN §3 says: one transaction for the batch; leads resolved
 * (created by e-mail) and each event stored once (dedupe by id) before any lead is locked; then
 * the leads with new events are locked in id order so a lead's events apply in order, the
 * engine runs in memory and its effects are written in bulk,
 * side effects as outbox jobs in the same transaction. Bad events are reported by index and
 * the good ones still applied.
 */
export async function ingestEvents(deps: RuntimeDeps, events: unknown[]): Promise<IngestResult> {
  const { pending, duplicates, errors } = parseEvents(events, () => deps.newId());
  if (pending.length === 0) return { accepted: 0, duplicates, errors };

  const emails = new Map<string, string>(); // lower-cased -> as first given
  for (const p of pending) {
    if (p.input.email && !p.input.leadId) {
      const lower = p.input.email.toLowerCase();
      if (!emails.has(lower)) emails.set(lower, p.input.email);
    }
  }
  // Leads for new e-mails are created and committed first, in their own short statement: batches
  // that share a new e-mail then wait on each other for milliseconds, not for a whole batch.
  if (emails.size > 0) await createLeads(deps, deps.db, emails);
  const outcome = await withRetry(() =>
    deps.db.transaction().execute((trx) => applyBatch(deps, trx, pending, emails)),
  );
  return {
    accepted: outcome.accepted,
    duplicates: duplicates + outcome.duplicates,
    errors: [...errors, ...outcome.errors].sort((a, b) => a.index - b.index),
  };
}

/** Event types whose insert fires 0004's suppression trigger, which updates the lead row: inserted once their lead is locked. */
const LEAD_UPDATING_TYPES = new Set(["unsubscribe", "email_bounce"]);

interface Storable extends Pending {
  leadId: string | null;
  /** visitor keys this event identifies as its lead's (their earlier events are merged) */
  newKeys: string[];
}

/** Event types whose scalar properties become the lead's (a form fill, a Segment identify or group). */
const IDENTIFYING_TYPES = new Set(["form_submit", "identify", "group"]);

/**
 * Lock order: nothing is locked while leads are resolved and the batch's events stored (except
 * what concurrent inserts of the same e-mail or idempotency key wait on); then the leads with
 * fresh events are locked in id order, and only the engine, its writes and the commit run under
 * those locks. Concurrent batches touching the same lead serialize on its row there.
 */
async function applyBatch(
  deps: RuntimeDeps,
  trx: Trx,
  pending: Pending[],
  emails: Map<string, string>,
): Promise<IngestResult> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const errors: IngestResult["errors"] = [];

  // 1. Read the leads (no locks), creating any e-mail still unknown (deleted since createLeads).
  const identities = await IdentityPlan.load(trx, pending.map((p) => p.input));
  const givenIds = new Set([...pending.flatMap((p) => (p.input.leadId ? [p.input.leadId] : [])), ...identities.knownLeadIds()]);
  const { byEmail, rows: read } = await resolveLeads(deps, trx, emails, givenIds);

  // 2. Store the events (dedupe by idempotency key), those that update their lead after locking it.
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
  const early = storable.filter((p) => !(p.leadId && LEAD_UPDATING_TYPES.has(p.input.type)));
  const late = early.length === storable.length ? [] : storable.filter((p) => p.leadId && LEAD_UPDATING_TYPES.has(p.input.type));
  const stored = await storeEvents(trx, early, nowIso);
  const inputs = await EngineSession.inputs(deps, trx);

  // 3. Lock the leads that have fresh events, in id order; re-read those changed since step 1.
  const lockIds = new Set<string>();
  for (const p of early) if (p.leadId && stored.has(p.id)) lockIds.add(p.leadId);
  for (const p of late) lockIds.add(p.leadId!);
  const byId = await lockLeads(trx, [...lockIds], read);
  if (late.length > 0) for (const id of await storeEvents(trx, late, nowIso)) stored.add(id);
  const fresh = storable.filter((p) => stored.has(p.id));

  // 4. Run the engine over each lead's new events, in input order; then write it all.
  const session = await EngineSession.open(deps, trx, now, inputs);
  // behaviour rules read the leads' recent history: one query, none when no rule does
  await session.loadBehaviour(lockIds, earliestOf(fresh, now));
  for (const p of fresh) {
    if (!p.leadId) continue; // anonymous: stored, scored when the visitor is identified
    let lead = session.current(leadStateFromRow(byId.get(p.leadId)!));
    // A visitor identified by this event: credit what it did before it was known, first.
    if (p.newKeys.length > 0) {
      for (const e of await mergeVisitor(trx, p.leadId, p.newKeys, now)) {
        const event = { id: e.id, type: e.type, properties: e.properties, occurredAt: new Date(e.occurred_at).toISOString() };
        // an identify of a userId not yet known by e-mail: its traits are the lead's, oldest first
        const fields = IDENTIFYING_TYPES.has(e.type) ? formFields(e.properties) : {};
        if (Object.keys(fields).length > 0) lead = session.take(updateLeadProperties(session.ctx, lead, fields));
        lead = session.take(applyEvent(session.ctx, lead, event));
      }
    }
    // A form fill identifies: its fields become the lead's properties before flows see the event.
    if (IDENTIFYING_TYPES.has(p.input.type)) {
      const fields = formFields(p.input.properties);
      if (Object.keys(fields).length > 0) lead = session.take(updateLeadProperties(session.ctx, lead, fields));
    }
    const occurredAt = p.input.occurredAt ? new Date(p.input.occurredAt).toISOString() : nowIso;
    session.take(applyEvent(session.ctx, lead, { id: p.id, type: p.input.type, properties: p.input.properties, occurredAt }));
  }
  await session.commit();
  return { accepted: fresh.length, duplicates: storable.length - fresh.length, errors };
}

/** The oldest time among the events (a late event is judged as of when it happened). */
function earliestOf(events: readonly Pending[], now: Date): Date {
  let t = now.getTime();
  for (const p of events) if (p.input.occurredAt) t = Math.min(t, new Date(p.input.occurredAt).getTime());
  return Number.isNaN(t) ? now : new Date(t);
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
): Promise<{ byEmail: Map<string, string>; rows: Map<string, VersionedLeadRow> }> {
  const byEmail = new Map<string, string>();
  const rows = new Map<string, VersionedLeadRow>();
  const keep = (found: VersionedLeadRow[]) => {
    for (const r of found) {
      if (emails.has(r.email_lower)) byEmail.set(r.email_lower, r.id);
      rows.set(r.id, r);
    }
  };
  if (emails.size + givenIds.size === 0) return { byEmail, rows };
  keep(await findVersionedLeads(trx, [...emails.keys()], [...givenIds]));
  const missing = [...emails.keys()].filter((e) => !byEmail.has(e));
  if (missing.length > 0) {
    keep(await insertLeads(deps, trx, emails, missing));
    const raced = missing.filter((e) => !byEmail.has(e));
    if (raced.length > 0) {
      keep(await findVersionedLeads(trx, raced));
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

/**
 * Inserts leads for e-mails, in e-mail order (concurrent creators of the same e-mails wait on
 * each other in one order); those another transaction created first are skipped.
 */
async function insertLeads(deps: RuntimeDeps, db: Kysely<DB>, emails: Map<string, string>, missing: string[]): Promise<VersionedLeadRow[]> {
  const model = await loadScoringModel(db);
  const fit = computeFit(model.fitRules, emptyLead());
  const tier = tierFor(model.tiers, fit);
  return insertNewLeads(db, missing.map((e) => ({ id: deps.newId(), email: emails.get(e)!, email_lower: e, fit, total: fit, tier })));
}

/** Stores the events (one statement, deduplicated by idempotency key); returns the ids of those stored. */
async function storeEvents(trx: Trx, events: Storable[], nowIso: string): Promise<Set<string>> {
  return insertEvents(
    trx,
    events.map((p) => ({
      id: p.id, idempotency_key: p.key, lead_id: p.leadId, anonymous_id: storedVisitorKey(p.input), type: p.input.type,
      properties: p.input.properties, occurred_at: p.input.occurredAt ?? nowIso,
    })),
  );
}

/**
 * Locks the leads in id order (the order every writer of several leads takes them in). Rows read
 * earlier are kept unless another transaction rewrote them since (their version moved): only
 * those are read again, so the locked part of the batch parses few rows.
 */
async function lockLeads(trx: Trx, ids: string[], read: Map<string, VersionedLeadRow>): Promise<Map<string, LeadRow>> {
  const byId = new Map<string, LeadRow>();
  if (ids.length === 0) return byId;
  const locked = await lockLeadVersions(trx, ids);
  if (locked.length !== ids.length) throw new ConcurrentUpdate("a lead of the batch was deleted meanwhile");
  const stale: string[] = [];
  for (const { id, row_version } of locked) {
    const row = read.get(id);
    if (row && row.row_version === row_version) byId.set(id, row);
    else stale.push(id);
  }
  if (stale.length > 0) {
    for (const row of await findLeadsById(trx, stale)) byId.set(row.id, row);
  }
  return byId;
}

