import type { Migration } from "kysely";
import { runStatements } from "./run-statements.js";

/** The web app: sign-in sessions (token stored hashed), and indexes for its lists. */
export const web: Migration = {
  async up(db) {
    await runStatements(db, `
      CREATE TABLE sessions (
        id text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE INDEX leads_stage ON leads (stage);
      CREATE INDEX mailbox_created ON mailbox (created_at DESC);
    `);
  },
};
