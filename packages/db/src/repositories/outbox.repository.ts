import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import { UUID_PATTERN, type OutboxStatus } from "@leadflow/flow";
import type { DB, OutboxJobTable } from "../tables.js";
import { latestLedgerRows } from "./ledger.repository.js";

/** An outbox job as stored (one per run and node: an e-mail, a rep notification or a webhook). */
export type OutboxJob = Selectable<OutboxJobTable>;

/**
 * Claims up to `limit` due jobs until `leaseUntil` (SKIP LOCKED: several processes never take
 * the same job) and counts the attempt. A job whose process died is due again when its lease ends.
 */
export async function claimOutboxJobs(db: Kysely<DB>, now: Date, leaseUntil: Date, limit: number): Promise<OutboxJob[]> {
  const { rows } = await sql<OutboxJob>`
    UPDATE outbox_jobs SET status = 'sending', attempts = attempts + 1, next_attempt_at = ${leaseUntil}
    WHERE id IN (
      SELECT id FROM outbox_jobs
      WHERE status IN ('pending', 'sending') AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db);
  return rows;
}

/** Marks a job done: `sent` (with its Message-ID) or `skipped`. */
export async function markOutboxJobDone(db: Kysely<DB>, jobId: string, status: "sent" | "skipped", now: Date, messageId?: string): Promise<void> {
  await db
    .updateTable("outbox_jobs")
    .set({ status, sent_at: status === "sent" ? now : null, message_id: messageId ?? null, last_error: null })
    .where("id", "=", jobId)
    .execute();
}

/** A failed attempt: back to `pending` until `nextAttemptAt`, or `dead`; the error is kept (2,000 characters). */
export async function failOutboxJob(db: Kysely<DB>, jobId: string, failure: { dead: boolean; error: string; nextAttemptAt: Date }): Promise<void> {
  await db
    .updateTable("outbox_jobs")
    .set({ status: failure.dead ? "dead" : "pending", last_error: failure.error.slice(0, 2000), send_started_at: null, next_attempt_at: failure.nextAttemptAt })
    .where("id", "=", jobId)
    .execute();
}

/** Locks a job's row and reads what fences a send: its status and the attempt number of the last claim. */
export async function lockOutboxJob(trx: Transaction<DB>, jobId: string): Promise<{ status: string; attempts: number } | undefined> {
  return trx.selectFrom("outbox_jobs").select(["status", "attempts"]).where("id", "=", jobId).forUpdate().executeTakeFirst();
}

/**
 * When a lead's other marketing e-mails since `since` left or may have left: `sent` ones, and
 * ones reserved by a delivery still in progress (or whose process died). For the frequency cap.
 */
export async function findCountedEmailTimes(db: Kysely<DB>, leadId: string, exceptJobId: string, since: Date): Promise<Date[]> {
  const rows = await db
    .selectFrom("outbox_jobs")
    .select(["sent_at", "send_started_at"])
    .where("lead_id", "=", leadId)
    .where("job_type", "=", "email")
    .where("id", "!=", exceptJobId)
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "sent"), eb("sent_at", ">", since)]),
        eb.and([eb("status", "=", "sending"), eb("send_started_at", ">", since)]),
      ]),
    )
    .execute();
  return rows.map((r) => new Date((r.sent_at ?? r.send_started_at)!));
}

/** Puts a claimed job back to `pending` until `at` without counting the attempt (a deferral is no try). */
export async function deferOutboxJob(db: Kysely<DB>, jobId: string, at: Date): Promise<void> {
  await db
    .updateTable("outbox_jobs")
    .set((eb) => ({ status: "pending", attempts: eb("attempts", "-", 1), next_attempt_at: at, send_started_at: null }))
    .where("id", "=", jobId)
    .execute();
}

/** Reserves a send: from now on it counts toward the cap, with the Message-ID it goes out with. */
export async function reserveOutboxJob(db: Kysely<DB>, jobId: string, now: Date, messageId: string): Promise<void> {
  await db.updateTable("outbox_jobs").set({ send_started_at: now, message_id: messageId }).where("id", "=", jobId).execute();
}

export interface OutboxFilter {
  status?: OutboxStatus;
  id?: string;
  limit: number;
}

/** Jobs with their lead's e-mail (null once the lead is gone), newest first. */
export async function listOutboxJobs(db: Kysely<DB>, filter: OutboxFilter) {
  let q = db
    .selectFrom("outbox_jobs as j")
    .leftJoin("leads as l", "l.id", "j.lead_id")
    .select([
      "j.id", "j.lead_id", "l.email", "j.flow_id", "j.node_id", "j.job_type", "j.payload", "j.status", "j.attempts",
      "j.next_attempt_at", "j.last_error", "j.message_id", "j.created_at", "j.sent_at",
    ])
    .orderBy("j.created_at", "desc")
    .orderBy("j.id")
    .limit(filter.limit);
  if (filter.status) q = q.where("j.status", "=", filter.status);
  if (filter.id) q = q.where("j.id", "=", filter.id);
  return q.execute();
}

/** Gives a `dead` job a fresh set of attempts, due at `now`; false when the job is not dead (or not there). */
export async function reviveDeadOutboxJob(db: Kysely<DB>, jobId: string, now: Date): Promise<boolean> {
  const updated = await db
    .updateTable("outbox_jobs")
    .set({ status: "pending", attempts: 0, next_attempt_at: now, last_error: null, send_started_at: null })
    .where("id", "=", jobId)
    .where("status", "=", "dead")
    .returning("id")
    .executeTakeFirst();
  return updated !== undefined;
}

/** A job's status, or undefined when there is no such job. */
export async function findOutboxJobStatus(db: Kysely<DB>, jobId: string): Promise<string | undefined> {
  return (await db.selectFrom("outbox_jobs").select("status").where("id", "=", jobId).executeTakeFirst())?.status;
}

/** What an open, click or unsubscribe of a job's message is recorded with. */
export async function findOutboxJobOrigin(db: Kysely<DB>, jobId: string) {
  return db.selectFrom("outbox_jobs").select(["lead_id", "flow_id", "node_id", "payload"]).where("id", "=", jobId).executeTakeFirst();
}

/** Which lead a delivery is for: by id (a job's lead) or by e-mail (a marketer previewing as a lead). */
export type DeliveryLeadKey = { id: string } | { emailLower: string };

/**
 * The lead as delivery reads it, in one call: the row's public columns, its owner's name and
 * e-mail, and its newest `latestPoints` ledger rows (newest first; none read for 0). Nothing
 * the web app's view adds (the whole ledger, the trend, the fit explanation).
 */
export async function findDeliveryLead(db: Kysely<DB>, key: DeliveryLeadKey, latestPoints: number) {
  if ("id" in key && !UUID_PATTERN.test(key.id)) return undefined;
  const lead = await db
    .selectFrom("leads as l")
    .leftJoin("sales_reps as r", "r.id", "l.owner_id")
    .select([
      "l.id", "l.email", "l.properties", "l.stage", "l.status", "l.fit", "l.engagement", "l.total", "l.categories", "l.tier",
      "r.id as owner_id", "r.name as owner_name", "r.email as owner_email",
    ])
    .where((eb) => ("id" in key ? eb("l.id", "=", key.id) : eb("l.email_lower", "=", key.emailLower)))
    .executeTakeFirst();
  if (!lead) return undefined;
  return { ...lead, latestPoints: latestPoints > 0 ? await latestLedgerRows(db, lead.id, latestPoints) : [] };
}

/** A rep's name and address, for a notification addressed to a rep other than the lead's owner. */
export async function findRepContact(db: Kysely<DB>, repId: string): Promise<{ name: string; email: string } | undefined> {
  return db.selectFrom("sales_reps").select(["name", "email"]).where("id", "=", repId).executeTakeFirst();
}
