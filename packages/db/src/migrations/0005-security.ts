import type { Migration } from "kysely";
import { runStatements } from "./run-statements.js";

/**
 * Safe on the internet: sessions that idle out (last use kept, touched at most once a minute)
 * and sign-in failures counted in the database, so every process sees the same lock-outs.
 */
export const security: Migration = {
  async up(db) {
    await runStatements(db, `
      ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
      CREATE TABLE sign_in_throttles (
        id text PRIMARY KEY,
        failures integer NOT NULL,
        locked_until timestamptz,
        forget_at timestamptz NOT NULL
      );
      CREATE INDEX sign_in_throttles_forget ON sign_in_throttles (forget_at);
    `);
  },
};
