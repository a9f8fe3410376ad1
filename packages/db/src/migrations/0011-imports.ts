import type { Migration } from "kysely";
import { runStatements } from "./run-statements.js";

/**
 * Lead imports (issue 15): one row per streamed CSV import with its progress, so an import can be
 * watched (CLI, web app) and resumed after the last committed chunk; its rejected rows by line.
 */
export const imports: Migration = {
  async up(db) {
    await runStatements(db, `
      CREATE TABLE lead_imports (
        id uuid PRIMARY KEY,
        file_name text NOT NULL,
        fingerprint text NOT NULL,
        size_bytes bigint NOT NULL,
        delimiter text,
        encoding text,
        status text NOT NULL DEFAULT 'pending',
        rows_read integer NOT NULL DEFAULT 0,
        last_line integer NOT NULL DEFAULT 0,
        bytes_read bigint NOT NULL DEFAULT 0,
        created integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0,
        error text,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        heartbeat_at timestamptz,
        finished_at timestamptz
      );
      CREATE INDEX lead_imports_unfinished ON lead_imports (fingerprint) WHERE status <> 'done';
      CREATE TABLE lead_import_rejections (
        import_id uuid NOT NULL REFERENCES lead_imports (id) ON DELETE CASCADE,
        line integer NOT NULL,
        message text NOT NULL,
        PRIMARY KEY (import_id, line)
      );
    `);
  },
};
