/**
 * docs/scale.md, asserted against the migrated schema (pg_catalog, both databases): where each
 * table would live when the database is distributed by lead id (Citus), which per-lead tables
 * are ready for it and what the others still need, and that events stay append-only.
 */
import { readdirSync, readFileSync } from "node:fs";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "./testing.js";

type Placement =
  /** distributed by the lead's id (`column`); `pending` names what keeps it from being ready today and the change it needs */
  | { kind: "by-lead"; column: string; pending?: string }
  /** distributed by a key of its own, not co-located with the lead */
  | { kind: "by-key"; column: string; why: string }
  /** small and read with per-lead rows: replicated to every node */
  | { kind: "reference"; why: string }
  /** stays on the coordinator only */
  | { kind: "coordinator"; why: string };

const PK_ID = "its primary key is (id) alone: becomes (lead_id, id)";
/** Every table, as docs/scale.md places it. A table not present in this schema (yet) is skipped. */
const PLACEMENT: Record<string, Placement> = {
  leads: {
    kind: "by-lead",
    column: "id",
    pending: "UNIQUE (email_lower) lacks id: the e-mail → lead map becomes a table of its own distributed by address, as identities",
  },
  score_snapshots: { kind: "by-lead", column: "lead_id" },
  events: {
    kind: "by-lead",
    column: "lead_id",
    pending: "lead_id is null for anonymous events and UNIQUE (idempotency_key) lacks it: keys move to their own table, anonymous events wait in one distributed by anonymous id",
  },
  score_ledger: { kind: "by-lead", column: "lead_id", pending: PK_ID },
  tier_changes: { kind: "by-lead", column: "lead_id", pending: PK_ID },
  flow_runs: { kind: "by-lead", column: "lead_id", pending: PK_ID },
  timers: { kind: "by-lead", column: "lead_id", pending: `${PK_ID}; UNIQUE (run_id, node_id) becomes (lead_id, run_id, node_id)` },
  outbox_jobs: { kind: "by-lead", column: "lead_id", pending: `${PK_ID}; UNIQUE (run_id, node_id) becomes (lead_id, run_id, node_id)` },
  deals: { kind: "by-lead", column: "lead_id", pending: PK_ID },
  event_queue: { kind: "by-lead", column: "lead_id", pending: "PK (seq) and UNIQUE (event_id) lack lead_id: become (lead_id, seq) and (lead_id, event_id)" },
  identities: { kind: "by-key", column: "anonymous_id", why: "the anonymous-id map is looked up by visitor id before the lead is known" },
  email_suppressions: { kind: "by-key", column: "email_lower", why: "looked up by address; a suppression may precede its lead" },
  flows: { kind: "reference", why: "every batch reads the published flows" },
  flow_versions: { kind: "reference", why: "runs resume on their version" },
  templates: { kind: "reference", why: "read when an e-mail is composed" },
  sales_reps: { kind: "reference", why: "assignment reads every rep" },
  settings: { kind: "reference", why: "model, workspace, round-robin cursor: read per batch" },
  api_keys: { kind: "reference", why: "checked on every request" },
  site_keys: { kind: "reference", why: "checked on every tracking request" },
  users: { kind: "reference", why: "few rows, read with sessions" },
  sessions: { kind: "coordinator", why: "web sign-in only" },
  sign_in_throttles: { kind: "coordinator", why: "web sign-in only" },
  scheduler_cursors: { kind: "coordinator", why: "one row per scheduler pass" },
  mailbox: { kind: "coordinator", why: "the local mailbox of a one-node install; a cluster sends through SMTP" },
  consumer_leases: { kind: "coordinator", why: "64 partition leases, taken by every consumer" },
  consumer_members: { kind: "coordinator", why: "the live consumers' heartbeats" },
  lead_imports: { kind: "coordinator", why: "one row per import, its progress" },
  lead_import_rejections: { kind: "coordinator", why: "an import's rejected lines" },
  kysely_migration: { kind: "coordinator", why: "the migrator's own" },
  kysely_migration_lock: { kind: "coordinator", why: "the migrator's own" },
};

/** Foreign keys a distributed schema cannot keep as they are (Citus: between distributed tables only on the distribution column). */
const FK_EXCEPTIONS: Record<string, string> = {
  "identities.lead_id -> leads": "the map is distributed by anonymous id: the cascade on lead deletion becomes the deletion's own statement",
  "event_queue.event_id -> events": "becomes (lead_id, event_id) -> events (lead_id, id), co-located",
};

interface Schema {
  tables: string[];
  partitioned: string[];
  columns: { table: string; column: string; nullable: boolean }[];
  uniques: { table: string; primary: boolean; columns: string[] }[];
  fks: { from: string; columns: string[]; to: string }[];
}

async function readSchema(kind: (typeof testDatabaseKinds)[number]): Promise<Schema> {
  const database = await createTestDatabase(kind);
  try {
    const db = database.db;
    const tables = await sql<{ name: string; kind: string }>`
      SELECT c.relname AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`.execute(db);
    const columns = await sql<{ table: string; column: string; nullable: string }>`
      SELECT table_name AS table, column_name AS column, is_nullable AS nullable FROM information_schema.columns
      WHERE table_schema = 'public'`.execute(db);
    const uniques = await sql<{ table: string; primary: boolean; columns: string }>`
      SELECT t.relname AS table, i.indisprimary AS primary,
             (SELECT string_agg(a.attname::text, ',') FROM unnest(i.indkey::int2[]) k JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k) AS columns
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND i.indisunique`.execute(db);
    const fks = await sql<{ from: string; columns: string; to: string }>`
      SELECT src.relname AS from, dst.relname AS to,
             (SELECT string_agg(a.attname::text, ',') FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k) AS columns
      FROM pg_constraint c JOIN pg_class src ON src.oid = c.conrelid JOIN pg_class dst ON dst.oid = c.confrelid
      JOIN pg_namespace n ON n.oid = src.relnamespace WHERE c.contype = 'f' AND n.nspname = 'public'`.execute(db);
    return {
      tables: tables.rows.map((r) => r.name),
      partitioned: tables.rows.filter((r) => r.kind === "p").map((r) => r.name),
      columns: columns.rows.map((r) => ({ table: r.table, column: r.column, nullable: r.nullable === "YES" })),
      uniques: uniques.rows.map((r) => ({ table: r.table, primary: r.primary, columns: (r.columns ?? "").split(",") })),
      fks: fks.rows.map((r) => ({ from: r.from, to: r.to, columns: (r.columns ?? "").split(",") })),
    };
  } finally {
    await database.close();
  }
}

/** Why a by-lead table is not ready to be distributed by `column` (empty: ready). */
function distributionGaps(schema: Schema, table: string, column: string): string[] {
  const col = schema.columns.find((c) => c.table === table && c.column === column);
  if (!col) return [`no column ${column}`];
  const gaps: string[] = [];
  if (col.nullable) gaps.push(`${column} is nullable`);
  const uniques = schema.uniques.filter((u) => u.table === table);
  if (!uniques.some((u) => u.primary && u.columns.includes(column))) gaps.push(`the primary key lacks ${column}`);
  for (const u of uniques.filter((u) => !u.columns.includes(column))) gaps.push(`UNIQUE (${u.columns.join(", ")}) lacks ${column}`);
  return gaps;
}

describe.each(testDatabaseKinds)("schema for scale (docs/scale.md) on %s", (kind) => {
  let schema: Schema;
  beforeAll(async () => {
    schema = await readSchema(kind);
  });

  it("places every table", () => {
    expect(schema.tables.filter((t) => !(t in PLACEMENT)), "tables docs/scale.md does not place (add them to PLACEMENT and the doc)").toEqual([]);
  });

  it("keys every per-lead table by lead id, or names what it still needs", () => {
    for (const [table, p] of Object.entries(PLACEMENT)) {
      if (p.kind !== "by-lead" || !schema.tables.includes(table)) continue;
      const gaps = distributionGaps(schema, table, p.column);
      if (p.pending) expect(gaps, `${table} is ready to distribute by ${p.column}: drop its pending note here and in docs/scale.md`).not.toEqual([]);
      else expect(gaps, `${table} cannot be distributed by ${p.column}`).toEqual([]);
    }
  });

  it("gives every table with a lead_id column a placement that says how it follows the lead", () => {
    const withLead = [...new Set(schema.columns.filter((c) => c.column === "lead_id").map((c) => c.table))];
    for (const table of withLead) {
      const p = PLACEMENT[table]!;
      expect(p.kind === "by-lead" || p.kind === "by-key", `${table} has lead_id but is placed ${p.kind}`).toBe(true);
    }
  });

  it("has foreign keys into distributed tables only where the doc says how they change", () => {
    const distributed = (t: string) => ["by-lead", "by-key"].includes(PLACEMENT[t]?.kind ?? "");
    const found = schema.fks.filter((f) => distributed(f.to)).map((f) => `${f.from}.${f.columns.join(",")} -> ${f.to}`);
    expect(found.filter((f) => !(f in FK_EXCEPTIONS))).toEqual([]);
  });

  it("keeps what partitioning events by time needs, and says events are not partitioned yet", () => {
    const events = schema.columns.filter((c) => c.table === "events");
    expect(events.find((c) => c.column === "received_at")?.nullable).toBe(false);
    expect(events.find((c) => c.column === "occurred_at")?.nullable).toBe(false);
    // docs/scale.md: partitioning is the migration it describes; update both when it lands
    expect(schema.partitioned).not.toContain("events");
  });
});

describe("events are append-only", () => {
  it("no repository or migration updates or deletes event rows", () => {
    const dirs = ["repositories", "migrations"].map((d) => new URL(`./${d}/`, import.meta.url));
    const writes = /\b(UPDATE\s+events|DELETE\s+FROM\s+events|TRUNCATE\s+events)\b|(updateTable|deleteFrom)\(\s*["']events["']/i;
    const offenders = dirs.flatMap((dir) =>
      readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && writes.test(readFileSync(new URL(f, dir), "utf8"))),
    );
    expect(offenders).toEqual([]);
  });
});
