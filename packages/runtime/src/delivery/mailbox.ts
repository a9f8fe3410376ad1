import type { Kysely } from "kysely";
import { listMailboxMessages, type DB } from "@leadflow/db";

/** The local mailbox (e-mail kept when no SMTP server is configured), newest first. */
export async function listMailbox(db: Kysely<DB>, limit = 100) {
  const rows = await listMailboxMessages(db, limit);
  return rows.map((m) => ({
    id: String(m.id), to: m.to_address, from: m.from_address, subject: m.subject, html: m.html, text: m.text,
    createdAt: new Date(m.created_at).toISOString(),
  }));
}
