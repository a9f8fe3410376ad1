import type { Migration } from "kysely";
import { runStatements } from "./run-statements.js";

/**
 * Issue 10: events are acknowledged once stored and scored afterwards by partitioned consumers.
 * - `event_queue`: one row per stored event not scored yet, with the lead it is scored for (an
 *   anonymous event gets its row when its visitor is identified). Scoring deletes the row in the
 *   transaction that writes the event's ledger rows, so an event is scored exactly once. `seq` is
 *   the order a lead's events are scored in. Events themselves stay append-only.
 * - `consumer_leases`: the 64 partitions (by lead id), each owned by at most one consumer while
 *   its lease runs; `consumer_members`: the live consumers (heartbeat), to split partitions fairly.
 */
export const eventQueue: Migration = {
  async up(db) {
    await runStatements(db, `
      CREATE TABLE event_queue (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE REFERENCES events (id) ON DELETE CASCADE,
        lead_id uuid NOT NULL,
        part smallint NOT NULL
      );
      CREATE INDEX event_queue_part ON event_queue (part, seq);
      CREATE INDEX event_queue_lead ON event_queue (lead_id, seq);
      CREATE TABLE consumer_leases (
        part smallint PRIMARY KEY,
        owner text,
        expires_at timestamptz NOT NULL DEFAULT '-infinity'
      );
      INSERT INTO consumer_leases (part) SELECT generate_series(0, 63);
      CREATE TABLE consumer_members (
        owner text PRIMARY KEY,
        seen_at timestamptz NOT NULL
      );
    `);
  },
};
