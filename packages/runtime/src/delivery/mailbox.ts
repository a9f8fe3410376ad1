import { insertMailboxMessage, listMailboxMessages, type DB, type Kysely } from "@leadflow/db";
import type { MailTransport } from "@leadflow/mailer";

/**
 * The local mailbox as a mail transport (used while no SMTP server is configured). It writes
 * through the database or transaction it is given: the outbox hands it the transaction that
 * marks the job sent, so a message is stored exactly once (a delivery that runs again after a
 * crash stores nothing new: at most one message per job). A test send has no job.
 */
export function localMailboxTransport(db: Kysely<DB>, job: { jobId: string | null; now: Date }): MailTransport {
  return {
    kind: "mailbox",
    send: (message) => insertMailboxMessage(db, job.jobId, message, job.now),
    close: async () => {},
  };
}

/** The local mailbox (e-mail kept when no SMTP server is configured), newest first. */
export async function listMailbox(db: Kysely<DB>, limit = 100) {
  const rows = await listMailboxMessages(db, limit);
  return rows.map((m) => ({
    id: String(m.id), to: m.to_address, from: m.from_address, subject: m.subject, html: m.html, text: m.text,
    createdAt: new Date(m.created_at).toISOString(),
  }));
}
