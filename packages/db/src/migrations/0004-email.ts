import { sql, type Migration } from "kysely";
import { runStatements } from "./run-statements.js";

/**
 * E-mail that respects choices: a suppression list by address, the send reservation used by the
 * frequency cap and the duplicate-send window, and the triggers that keep suppressed leads
 * suppressed whichever path an `unsubscribe` or hard `email_bounce` event takes (REST, tracking,
 * delivery) and whatever later rewrites the lead row (re-import, upsert, ingest).
 */
export const email: Migration = {
  async up(db) {
    await runStatements(db, `
      CREATE TABLE email_suppressions (
        email_lower text PRIMARY KEY,
        reason text NOT NULL,
        lead_id uuid,
        event_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      ALTER TABLE outbox_jobs ADD COLUMN send_started_at timestamptz;
      CREATE INDEX outbox_lead_email ON outbox_jobs (lead_id, sent_at) WHERE job_type = 'email';
      CREATE INDEX outbox_dead ON outbox_jobs (created_at DESC) WHERE status = 'dead';
    `);
    // plpgsql bodies contain ";\\n", so each function goes as one statement
    await sql.raw(`
      CREATE FUNCTION leadflow_suppress_from_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.lead_id IS NOT NULL AND (NEW.type = 'unsubscribe'
            OR (NEW.type = 'email_bounce' AND coalesce(NEW.properties->>'kind', 'hard') <> 'soft')) THEN
          INSERT INTO email_suppressions (email_lower, reason, lead_id, event_id, created_at)
            SELECT l.email_lower, CASE WHEN NEW.type = 'unsubscribe' THEN 'unsubscribe' ELSE 'bounce' END, l.id, NEW.id, NEW.occurred_at
            FROM leads l WHERE l.id = NEW.lead_id
            ON CONFLICT (email_lower) DO NOTHING;
          UPDATE leads SET status = CASE WHEN NEW.type = 'unsubscribe' THEN 'unsubscribed' ELSE 'bounced' END
            WHERE id = NEW.lead_id AND status = 'active';
        END IF;
        RETURN NULL;
      END $$`).execute(db);
    await sql.raw(`
      CREATE TRIGGER events_suppress AFTER INSERT OR UPDATE OF lead_id ON events
        FOR EACH ROW EXECUTE FUNCTION leadflow_suppress_from_event()`).execute(db);
    await sql.raw(`
      CREATE FUNCTION leadflow_keep_suppressed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE why text;
      BEGIN
        IF NEW.status = 'active' THEN
          SELECT reason INTO why FROM email_suppressions WHERE email_lower = NEW.email_lower;
          IF FOUND THEN
            NEW.status := CASE WHEN why = 'bounce' THEN 'bounced' ELSE 'unsubscribed' END;
          END IF;
        END IF;
        RETURN NEW;
      END $$`).execute(db);
    await sql.raw(`
      CREATE TRIGGER leads_keep_suppressed BEFORE INSERT OR UPDATE OF status, email_lower ON leads
        FOR EACH ROW EXECUTE FUNCTION leadflow_keep_suppressed()`).execute(db);
  },
};
