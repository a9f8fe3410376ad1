import { findOutboxJobStatus, listOutboxJobs, reviveDeadOutboxJob, type DB, type Kysely } from "@leadflow/db";
import { UUID_PATTERN, type OutboxStatus } from "@leadflow/flow";
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

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** Outbox jobs, newest first; `status: "dead"` is the dead-letter list. */
export async function listOutbox(db: Kysely<DB>, filter: { status?: OutboxStatus; limit?: number; id?: string } = {}): Promise<OutboxJobView[]> {
  const rows = await listOutboxJobs(db, { ...filter, limit: Math.min(Math.max(filter.limit ?? 100, 1), 1000) });
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
export async function retryJob(db: Kysely<DB>, id: string, now: Date): Promise<OutboxJobView> {
  if (!UUID_PATTERN.test(id)) throw new AppError("not_found", `outbox job ${id} not found`);
  if (!(await reviveDeadOutboxJob(db, id, now))) {
    const status = await findOutboxJobStatus(db, id);
    if (!status) throw new AppError("not_found", `outbox job ${id} not found`);
    throw new AppError("conflict", `outbox job ${id} is ${status}, not dead: only dead jobs can be retried`);
  }
  const [view] = await listOutbox(db, { id });
  return view!;
}
