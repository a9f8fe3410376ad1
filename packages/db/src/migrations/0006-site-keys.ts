import type { Migration } from "kysely";
import { runStatements } from "./run-statements.js";

/**
 * Site keys: public keys a website's snippet (and a Segment SDK, as write key) sends tracking
 * events with. Stored hashed like API keys; `origins` empty means any origin may use the key.
 */
export const siteKeys: Migration = {
  async up(db) {
    await runStatements(db, `
      CREATE TABLE site_keys (
        id text PRIMARY KEY,
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        origins jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )
    `);
  },
};
