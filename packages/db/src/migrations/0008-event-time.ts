import type { Migration } from "kysely";
import { runStatements } from "./run-statements.js";

/**
 * Event time (issue 11): a ledger entry's `at` is the instant its points count from (the
 * event's time), `processed_at` when it was written. Until now both were the same instant.
 * No default: the writers give the transaction's clock, which a tick "as of" sets.
 */
export const eventTime: Migration = {
  async up(db) {
    await runStatements(db, `
      ALTER TABLE score_ledger ADD COLUMN processed_at timestamptz;
      UPDATE score_ledger SET processed_at = at;
      ALTER TABLE score_ledger ALTER COLUMN processed_at SET NOT NULL;
    `);
  },
};
