import { z } from "zod";
import type { Transaction } from "kysely";
import type { DB } from "@leadflow/db";
import { applyEvent, computeFit, tierFor, type LeadState } from "@leadflow/engine";
import type { RuntimeDeps } from "./deps.js";
import { fieldsFromZod } from "./errors.js";
import { leadStateFromRow, type LeadRow } from "./lead-state.js";
import { loadScoringModel } from "./scoring-model.js";
import { EngineSession } from "./engine-session.js";
import type { FlowCache } from "./flows.js";
import { withRetry } from "./retry.js";

export const MAX_BATCH = 1000;
const MAX_PROPERTIES_BYTES = 32 * 1024;

export const EventInput = z
  .object({
    id: z.string().min(1).max(200).optional(),
    leadId: z.uuid("leadId must be a lead's id (a UUID)").optional(),
    email: z.email("email is not a valid e-mail address").max(320).optional(),
    anonymousId: z.string().min(1).max(200).optional(),
    type: z
      .string({ error: "type is required" })
      .min(1, "type is required")
      .max(100)
      .regex(/^[\w.:-]+$/, "type: letters, digits and _ . : - only"),
    properties: z
      .record(z.string(), z.unknown(), { error: "properties must be an object" })
      .refine((p) => JSON.stringify(p).length <= MAX_PROPERTIES_BYTES, "properties are larger than 32 KiB")
      .default({}),
    occurredAt: z.iso.datetime({ offset: true, error: "occurredAt must be an ISO 8601 date-time" }).optional(),
  })
  .refine((e) => e.leadId || e.email || e.anonymousId, "an event needs leadId, email or anonymousId");
export type EventInput = z.infer<typeof EventInput>;

export interface IngestResult {
  accepted: number;
  duplicates: number;
  errors: { index: number; message: string }[];
}

interface Pending {
  index: number;
  input: EventInput;
  id: string;
  key: string;
}

type Trx = Transaction<DB>;

/**
 * Applies a batch of events as DESIGN §3 says: one transaction for the batch; each event
 * stored once (dedupe by id); leads resolved (created by e-mail) and locked in id order so a
 * lead's events apply in order; the engine runs in memory; its effects are written in bulk,
 * side effects as outbox jobs in the same transaction. Bad events are reported by index and
 * the good ones still applied.
 */
export async function ingestEvents(deps: RuntimeDeps, flows: FlowCache, events: unknown[]): Promise<IngestResult> {
  const errors: IngestResult["errors"] = [];
  const pending: Pending[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  events.forEach((raw, index) => {
    const parsed = EventInput.safeParse(raw);
    if (!parsed.success) {
      const message = fieldsFromZod(parsed.error.issues)
        .map((f) => (f.path ? `${f.path}: ${f.message}` : f.message))
        .join("; ");
      errors.push({ index, message });
      return;
    }
    const key = parsed.data.id ?? deps.newId();
    if (seen.has(key)) {
      duplicates++;
      return;
    }
    seen.add(key);
    pending.push({ index, input: parsed.data, id: deps.newId(), key });
  });
  if (pending.length === 0) return { accepted: 0, duplicates, errors };

  const outcome = await withRetry(() =>
    deps.db.transaction().execute((trx) => applyBatch(deps, flows, trx, pending)),
  );
  return {
    accepted: outcome.accepted,
    duplicates: duplicates + outcome.duplicates,
    errors: [...errors, ...outcome.errors].sort((a, b) => a.index - b.index),
  };
}

async function applyBatch(deps: RuntimeDeps, flowCache: FlowCache, trx: Trx, pending: Pending[]): Promise<IngestResult> {
  const now = deps.clock.now();
  const errors: IngestResult["errors"] = [];
  const model = await loadScoringModel(trx);

  // 1. Resolve leads: create the unknown e-mails, then lock every lead of the batch in id order.
  const emails = [...new Set(pending.flatMap((p) => (p.input.email && !p.input.leadId ? [p.input.email.toLowerCase()] : [])))].sort();
  if (emails.length > 0) {
    const fit = computeFit(model.fitRules, emptyLead());
    const tier = tierFor(model.tiers, fit);
    const original = new Map(pending.map((p) => [p.input.email?.toLowerCase(), p.input.email]));
    await trx
      .insertInto("leads")
      .values(
        emails.map((e) => ({
          id: deps.newId(), email: original.get(e) ?? e, email_lower: e, fit, total: fit, tier,
          properties: "{}", categories: "{}", flow_state: JSON.stringify({ thresholds: {}, entries: {} }),
        })),
      )
      .onConflict((oc) => oc.column("email_lower").doNothing())
      .execute();
  }
  const leadIds = [...new Set(pending.flatMap((p) => (p.input.leadId ? [p.input.leadId] : [])))];
  const rows: LeadRow[] =
    emails.length + leadIds.length === 0
      ? []
      : await trx
          .selectFrom("leads")
          .selectAll()
          .where((eb) =>
            eb.or([
              ...(emails.length ? [eb("email_lower", "in", emails)] : []),
              ...(leadIds.length ? [eb("id", "in", leadIds)] : []),
            ]),
          )
          .orderBy("id")
          .forUpdate()
          .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const byEmail = new Map(rows.map((r) => [r.email_lower, r]));

  // 2. Store events; the ones whose key already exists are duplicates.
  const storable: (Pending & { leadId: string | null })[] = [];
  for (const p of pending) {
    const row = p.input.leadId ? byId.get(p.input.leadId) : p.input.email ? byEmail.get(p.input.email.toLowerCase()) : undefined;
    if ((p.input.leadId || p.input.email) && !row) {
      errors.push({ index: p.index, message: `leadId: no lead with id ${p.input.leadId}` });
      continue;
    }
    storable.push({ ...p, leadId: row?.id ?? null });
  }
  const stored = new Set<string>();
  for (let i = 0; i < storable.length; i += 1000) {
    const part = storable.slice(i, i + 1000);
    const inserted = await trx
      .insertInto("events")
      .values(
        part.map((p) => ({
          id: p.id, idempotency_key: p.key, lead_id: p.leadId, anonymous_id: p.input.anonymousId ?? null, type: p.input.type,
          properties: JSON.stringify(p.input.properties), occurred_at: p.input.occurredAt ?? now.toISOString(),
        })),
      )
      .onConflict((oc) => oc.column("idempotency_key").doNothing())
      .returning("id")
      .execute();
    for (const r of inserted) stored.add(r.id);
  }
  const fresh = storable.filter((p) => stored.has(p.id));
  const duplicates = storable.length - fresh.length;

  // 3. Run the engine over each lead's new events, in order; 4. write it all.
  const session = await EngineSession.open(deps, flowCache, trx, now);
  for (const p of fresh) {
    if (!p.leadId) continue; // anonymous: stored, scored when the visitor is identified
    let lead = session.current(leadStateFromRow(byId.get(p.leadId)!));
    // A visitor identified by this event: credit what it did before it was known, first.
    if (p.input.anonymousId) {
      const earlier = await trx
        .updateTable("events")
        .set({ lead_id: p.leadId })
        .where("anonymous_id", "=", p.input.anonymousId)
        .where("lead_id", "is", null)
        .returning(["id", "type", "properties", "occurred_at"])
        .execute();
      earlier.sort((a, b) => new Date(a.occurred_at).getTime() - new Date(b.occurred_at).getTime());
      for (const e of earlier) {
        const event = { id: e.id, type: e.type, properties: e.properties, occurredAt: new Date(e.occurred_at).toISOString() };
        lead = session.take(applyEvent(session.ctx, lead, event));
      }
    }
    const occurredAt = p.input.occurredAt ? new Date(p.input.occurredAt).toISOString() : now.toISOString();
    session.take(applyEvent(session.ctx, lead, { id: p.id, type: p.input.type, properties: p.input.properties, occurredAt }));
  }
  await session.commit();
  return { accepted: fresh.length, duplicates, errors };
}

function emptyLead(): LeadState {
  return {
    id: "", email: "", properties: {}, stage: "lead", status: "active", ownerId: null, fit: 0, engagement: 0,
    categories: {}, tier: "", lastActivityAt: null, flowState: { thresholds: {}, entries: {} },
  };
}
export { emptyLead };
