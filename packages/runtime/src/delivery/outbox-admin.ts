import type { RuntimeDeps } from "../deps.js";
import { AppError } from "../errors.js";

/** An outbox job as the web app and the REST API list it. */
export interface OutboxJobView {
  id: string;
  leadId: string;
  leadEmail: string | null;
  flowId: string;
  nodeId: string;
  jobType: string;
  templateId: string | null;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
}

export const OUTBOX_STATUSES = ["pending", "sending", "sent", "skipped", "dead"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Outbox jobs, newest first; `status: "dead"` is the dead-letter list. */
export async function listOutbox(db: RuntimeDeps["db"], filter: { status?: OutboxStatus; limit?: number; id?: string } = {}): Promise<OutboxJobView[]> {
  let q = db
    .selectFrom("outbox_jobs as j")
    .leftJoin("leads as l", "l.id", "j.lead_id")
    .select([
      "j.id", "j.lead_id", "l.email", "j.flow_id", "j.node_id", "j.job_type", "j.payload", "j.status", "j.attempts",
      "j.next_attempt_at", "j.last_error", "j.message_id", "j.created_at", "j.sent_at",
    ])
    .orderBy("j.created_at", "desc")
    .orderBy("j.id")
    .limit(Math.min(Math.max(filter.limit ?? 100, 1), 1000));
  if (filter.status) q = q.where("j.status", "=", filter.status);
  if (filter.id) q = q.where("j.id", "=", filter.id);
  const rows = await q.execute();
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return rows.map((r) => ({
    id: r.id, leadId: r.lead_id, leadEmail: r.email, flowId: r.flow_id, nodeId: r.node_id, jobType: r.job_type,
    templateId: typeof r.payload.templateId === "string" ? r.payload.templateId : null, status: r.status,
    attempts: r.attempts, nextAttemptAt: iso(r.next_attempt_at)!, lastError: r.last_error, messageId: r.message_id,
    createdAt: iso(r.created_at)!, sentAt: iso(r.sent_at),
  }));
}

/**
 * Gives a dead job a fresh set of attempts, due now. Only dead jobs: retrying one that is
 * pending, in flight or done could send a step twice. Throws not_found / conflict.
 */
export async function retryJob(db: RuntimeDeps["db"], id: string, now: Date): Promise<OutboxJobView> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new AppError("not_found", `outbox job ${id} not found`);
  const updated = await db
    .updateTable("outbox_jobs")
    .set({ status: "pending", attempts: 0, next_attempt_at: now, last_error: null, send_started_at: null })
    .where("id", "=", id)
    .where("status", "=", "dead")
    .returning("id")
    .executeTakeFirst();
  if (!updated) {
    const job = await db.selectFrom("outbox_jobs").select("status").where("id", "=", id).executeTakeFirst();
    if (!job) throw new AppError("not_found", `outbox job ${id} not found`);
    throw new AppError("conflict", `outbox job ${id} is ${job.status}, not dead: only dead jobs can be retried`);
  }
  const [view] = await listOutbox(db, { id });
  return view!;
}
