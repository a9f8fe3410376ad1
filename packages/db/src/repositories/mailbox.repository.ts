import type { Kysely } from "kysely";
import type { DB } from "../tables.js";

/** A message as the local mailbox keeps it (e-mail sent while no SMTP server is configured). */
export interface MailboxMessage {
  messageId: string;
  to: string;
  from: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

/**
 * Keeps one message; with a job id, at most one per job (a delivery that runs again after a
 * crash stores nothing new). A test send has no job.
 */
export async function insertMailboxMessage(db: Kysely<DB>, jobId: string | null, message: MailboxMessage, now: Date): Promise<void> {
  await db
    .insertInto("mailbox")
    .values({
      job_id: jobId, message_id: message.messageId, to_address: message.to, from_address: message.from,
      subject: message.subject, html: message.html, text: message.text, headers: JSON.stringify(message.headers ?? {}),
      created_at: now,
    })
    .onConflict((oc) => oc.column("job_id").doNothing())
    .execute();
}

/** The newest messages first. */
export async function listMailboxMessages(db: Kysely<DB>, limit: number) {
  return db.selectFrom("mailbox").selectAll().orderBy("id", "desc").limit(limit).execute();
}
