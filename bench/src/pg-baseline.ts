/** Part 2: the floor to compare against — the same event rows, one INSERT per transaction, straight through pg. */
import pg from "pg";
import { createTestDatabase } from "@leadflow/db/testing";
import type { Workload } from "./events.js";
import { boundedMap, now, percentile } from "./stats.js";

export interface BaselineResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  insertMs: { p50: number; p99: number };
}

export async function runPgBaseline(workload: Workload, opts: { clients: number; log: (line: string) => void }): Promise<BaselineResult> {
  const database = await createTestDatabase("postgres"); // migrated: the events table and its indexes exist
  if (!database.url) throw new Error("createTestDatabase(postgres) gave no URL");
  const pool = new pg.Pool({ connectionString: database.url, max: opts.clients });
  try {
    // the same rows the server stores: its own UUID, the client's id as the idempotency key, the lead, the JSON properties
    const rows = workload.events.map((e, i) => [
      `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`,
      e.id,
      workload.leadIds[e.lead]!,
      null,
      e.type,
      JSON.stringify(e.properties),
      new Date(Date.UTC(2026, 10, 2, 9) + i).toISOString(),
    ]);
    // open every client before the clock starts
    await Promise.all(Array.from({ length: opts.clients }, async () => (await pool.connect()).release()));
    opts.log(`  ${rows.length} rows, one INSERT per transaction (autocommit), ${opts.clients} clients`);
    const times: number[] = [];
    const started = now();
    await boundedMap(rows, opts.clients, async (values) => {
      const t0 = now();
      await pool.query(
        "INSERT INTO events (id, idempotency_key, lead_id, anonymous_id, type, properties, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        values,
      );
      times.push(now() - t0);
    });
    const seconds = (now() - started) / 1000;
    const { rows: count } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM events");
    if (Number(count[0]!.n) !== rows.length) throw new Error(`baseline: ${count[0]!.n} rows stored, expected ${rows.length}`);
    times.sort((a, b) => a - b);
    return { rows: rows.length, seconds, rowsPerSecond: rows.length / seconds, insertMs: { p50: percentile(times, 50), p99: percentile(times, 99) } };
  } finally {
    await pool.end();
    await database.close();
  }
}
