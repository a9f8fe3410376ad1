/** Part 1: the whole ingestion path, HTTP → Fastify → runtime → PostgreSQL, on a fresh database. */
import pg from "pg";
import { createTestDatabase } from "@leadflow/db/testing";
import { createApiKey } from "@leadflow/runtime";
import { loadEnv, startServer } from "@leadflow/server";
import { handoffFlow, reps, scoringModel, warmIntro } from "../../apps/server/src/testing/scenario.js";
import type { BenchEvent } from "./events.js";
import { boundedMap, now, percentile } from "./stats.js";

export interface HttpIngestResult {
  events: number;
  requests: number;
  seconds: number;
  eventsPerSecond: number;
  ackMs: { p50: number; p99: number; max: number };
  accepted: number;
  duplicates: number;
  /** what the batch left in the database */
  rows: Record<string, number>;
  /** pg_stat_database for the run's database: rollbacks are retried (or failed) transactions */
  pgStats: { commits: number; rollbacks: number; deadlocks: number };
}

interface IngestResponse {
  accepted: number;
  duplicates: number;
  errors: { index: number; message: string }[];
}

async function call(url: string, key: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

export async function runHttpIngest(
  events: readonly BenchEvent[],
  opts: { batchSize: number; inFlight: number; log: (line: string) => void },
): Promise<HttpIngestResult> {
  const database = await createTestDatabase("postgres");
  if (!database.url) throw new Error("createTestDatabase(postgres) gave no URL");
  const server = await startServer(
    loadEnv({ DATABASE_URL: database.url, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off", LOG_LEVEL: "silent" }),
  );
  try {
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(server.url)) throw new Error(`refusing to load a non-local server: ${server.url}`);
    const { key } = await createApiKey(database.db, "bench");
    const api = (method: string, path: string, body?: unknown) => call(server.url, key, method, path, body);
    await api("PUT", "/api/v1/scoring-model", scoringModel);
    await api("PUT", "/api/v1/templates/warm-intro", warmIntro);
    await api("PUT", "/api/v1/reps", reps);
    await api("PUT", "/api/v1/flows/hand-off", handoffFlow);
    await api("POST", "/api/v1/flows/hand-off/publish");

    const batches: string[] = [];
    for (let i = 0; i < events.length; i += opts.batchSize) {
      const part = events.slice(i, i + opts.batchSize).map((e) => ({ id: e.id, email: e.email, type: e.type, properties: e.properties }));
      batches.push(JSON.stringify({ events: part }));
    }
    opts.log(`  ${events.length} events in ${batches.length} requests of ${opts.batchSize}, ${opts.inFlight} in flight → ${server.url}`);

    const acks: number[] = [];
    let accepted = 0;
    let duplicates = 0;
    let done = 0;
    const started = now();
    await boundedMap(batches, opts.inFlight, async (body, index) => {
      const t0 = now();
      const res = await fetch(`${server.url}/api/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body,
      });
      const text = await res.text();
      acks.push(now() - t0);
      if (res.status !== 200) throw new Error(`batch ${index}: POST /api/v1/events answered ${res.status}: ${text.slice(0, 500)}`);
      const out = JSON.parse(text) as IngestResponse;
      if (out.errors.length > 0) throw new Error(`batch ${index}: ${out.errors.length} rejected events, first: ${JSON.stringify(out.errors[0])}`);
      accepted += out.accepted;
      duplicates += out.duplicates;
      if (++done % 50 === 0) opts.log(`  ${done}/${batches.length} requests, ${((now() - started) / 1000).toFixed(1)} s`);
    });
    const seconds = (now() - started) / 1000;

    if (accepted !== events.length || duplicates !== 0) {
      throw new Error(`ingestion counts are wrong: accepted ${accepted} + duplicates ${duplicates}, expected ${events.length} accepted`);
    }
    const rows = await countRows(database.url);
    if (rows.events !== events.length) throw new Error(`the events table holds ${rows.events} rows, expected ${events.length}`);

    await server.stop();
    const pgStats = await statsOf(database.url);
    acks.sort((a, b) => a - b);
    return {
      events: events.length,
      requests: batches.length,
      seconds,
      eventsPerSecond: events.length / seconds,
      ackMs: { p50: percentile(acks, 50), p99: percentile(acks, 99), max: acks[acks.length - 1]! },
      accepted,
      duplicates,
      rows,
      pgStats,
    };
  } finally {
    await server.stop();
    await database.close();
  }
}

async function countRows(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, number> = {};
    for (const table of ["events", "leads", "score_ledger", "flow_runs", "outbox_jobs", "deals"]) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      out[table] = Number(rows[0]!.n);
    }
    return out;
  } finally {
    await client.end();
  }
}

/** Read after the server's pool has closed: backends flush their statistics when they exit. */
async function statsOf(url: string): Promise<HttpIngestResult["pgStats"]> {
  await new Promise((r) => setTimeout(r, 600));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ c: string; r: string; d: string }>(
      "SELECT xact_commit AS c, xact_rollback AS r, deadlocks AS d FROM pg_stat_database WHERE datname = current_database()",
    );
    return { commits: Number(rows[0]!.c), rollbacks: Number(rows[0]!.r), deadlocks: Number(rows[0]!.d) };
  } finally {
    await client.end();
  }
}
