import type { Migration } from "kysely";
import { runStatements } from "./run-statements.js";

/**
 * Identity as its own mapping (DESIGN §2): which lead an anonymous visitor id (a cookie, a
 * Segment anonymousId, or `user:<userId>`) turned out to be. Events stay append-only: an
 * anonymous event keeps its NULL lead_id and reaches its lead through this table.
 */
export const identity: Migration = {
  async up(db) {
    await runStatements(db, `
      CREATE TABLE identities (
        anonymous_id text PRIMARY KEY,
        lead_id uuid NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX identities_lead ON identities (lead_id);
      CREATE INDEX events_anonymous_time ON events (anonymous_id, occurred_at) WHERE lead_id IS NULL AND anonymous_id IS NOT NULL;
    `);
  },
};
