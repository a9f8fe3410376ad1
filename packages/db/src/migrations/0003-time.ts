import type { Migration } from "kysely";
import { runStatements } from "./run-statements.js";

/**
 * Time (issue 4): decay bookkeeping on leads and ledger entries, weekly score snapshots,
 * scheduler cursors, and the indexes the scheduler's claims walk.
 */
export const time: Migration = {
  async up(db) {
    await runStatements(db, `
      ALTER TABLE leads ADD COLUMN decayed_at timestamptz NOT NULL DEFAULT '-infinity';
      ALTER TABLE leads ADD COLUMN weeks_down integer NOT NULL DEFAULT 0;
      CREATE INDEX leads_decay_due ON leads (decayed_at);
      CREATE INDEX leads_quiet_since ON leads ((coalesce(last_activity_at, created_at)), id);

      ALTER TABLE score_ledger ADD COLUMN expired_at timestamptz;
      ALTER TABLE score_ledger ADD COLUMN expires_entry_id bigint;
      CREATE INDEX score_ledger_expiring ON score_ledger (expires_at) WHERE expires_at IS NOT NULL AND expired_at IS NULL;

      ALTER TABLE timers ADD COLUMN fired_at timestamptz;

      CREATE TABLE score_snapshots (
        lead_id uuid NOT NULL,
        week date NOT NULL,
        fit double precision NOT NULL,
        engagement double precision NOT NULL,
        total double precision NOT NULL,
        taken_at timestamptz NOT NULL,
        PRIMARY KEY (lead_id, week)
      );

      CREATE TABLE scheduler_cursors (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  },
};
