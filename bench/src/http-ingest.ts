/**
 * Part 1: the whole ingestion path, HTTP → server (a child process) → PostgreSQL, on a fresh
 * database. Measures when requests are acknowledged and when every accepted event has been
 * scored: a counting flow gives each event exactly one ledger row, so "scored" is "ledger rows
 * of that flow = accepted events" and works whether the POST scores inline or a consumer does it
 * afterwards. The server's RSS is sampled throughout; the latency part runs on the same server.
 */
import pg from "pg";
import { createTestDatabase } from "@leadflow/db/testing";
import { createApiKey } from "@leadflow/runtime";
import { handoffFlow, reps, scoringModel, warmIntro } from "../../apps/server/src/testing/scenario.js";
import type { BenchEvent } from "./events.js";
import { runLatency, type LatencyResult } from "./latency.js";
import { startServerProcess } from "./server-process.js";
import { boundedMap, now, percentile } from "./stats.js";

export const COUNT_FLOW_ID = "bench-count";
/** every event type the workload sends, plus the latency part's probe */
const COUNTED_TYPES = ["page_view", "demo_request", "form_submit", "email_click", "webinar_attended", "trial_started", "unsubscribe", "probe"];

/** One ledger row (+1, category "count") for each event of a counted type. */
export const countFlow = {
  id: COUNT_FLOW_ID,
  name: "Bench: one point per event",
  reentry: "always",
  nodes: COUNTED_TYPES.flatMap((t, i) => [
    { id: `t${i}`, type: "trigger.event", config: { eventType: t } },
    { id: `p${i}`, type: "score.add", config: { points: 1, category: "count" } },
  ]),
  edges: COUNTED_TYPES.map((_, i) => ({ from: `t${i}`, to: `p${i}` })),
};

export interface HttpIngestResult {
  events: number;
  requests: number;
  /** until the last request was acknowledged */
  ackSeconds: number;
  ackPerSecond: number;
  /** until every accepted event was scored (ledger rows of the counting flow = events) */
  scoredSeconds: number;
  scoredPerSecond: number;
  ackMs: { p50: number; p99: number; max: number };
  /** largest server RSS seen during ingestion, scoring and the latency part */
  maxRssMiB: number;
  rows: Record<string, number>;
  latency: LatencyResult;
}

interface IngestResponse {
  accepted: number;
  duplicates: number;
  errors: { index: number; message: string }[];
}

export type Api = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

export function apiClient(url: string, key: string): Api {
  return async (method, path, body) => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

async function must(api: Api, method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await api(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 500)}`);
  return r.body;
}

export async function countScored(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM score_ledger WHERE flow_id = $1", [COUNT_FLOW_ID]);
  return Number(rows[0]!.n);
}

/** Polls until the counting flow's ledger rows reach `expected`; throws past the deadline or if they overshoot. */
async function waitScored(client: pg.Client, expected: number, timeoutMs: number): Promise<void> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const n = await countScored(client);
    if (n > expected) throw new Error(`${n} ledger rows for ${expected} events: some event was scored twice`);
    if (n === expected) return;
    if (now() > deadline) throw new Error(`after ${timeoutMs} ms only ${n} of ${expected} events are scored`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function post(api: Api, bodies: string[], inFlight: number, log: (l: string) => void) {
  const acks: number[] = [];
  let accepted = 0;
  let done = 0;
  const started = now();
  await boundedMap(bodies, inFlight, async (body, index) => {
    const t0 = now();
    const r = await api("POST", "/api/v1/events", body);
    acks.push(now() - t0);
    if (r.status !== 200) throw new Error(`batch ${index}: POST /api/v1/events answered ${r.status}: ${JSON.stringify(r.body).slice(0, 500)}`);
    const out = r.body as IngestResponse;
    if (out.errors.length > 0 || out.duplicates > 0) throw new Error(`batch ${index}: ${out.errors.length} rejected, ${out.duplicates} duplicates`);
    accepted += out.accepted;
    if (++done % 50 === 0) log(`  ${done}/${bodies.length} requests, ${((now() - started) / 1000).toFixed(1)} s`);
  });
  return { acks: acks.sort((a, b) => a - b), accepted, started };
}

export async function runHttpIngest(
  events: readonly BenchEvent[],
  opts: { batchSize: number; inFlight: number; latencySeconds: number; scoreTimeoutMs: number; log: (line: string) => void },
): Promise<HttpIngestResult> {
  const database = await createTestDatabase("postgres");
  if (!database.url) throw new Error("createTestDatabase(postgres) gave no URL");
  const server = await startServerProcess({ DATABASE_URL: database.url, SCHEDULER: "off" });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { key } = await createApiKey(database.db, "bench");
    const api = apiClient(server.url, key);
    await must(api, "PUT", "/api/v1/scoring-model", scoringModel);
    await must(api, "PUT", "/api/v1/templates/warm-intro", warmIntro);
    await must(api, "PUT", "/api/v1/reps", reps);
    for (const flow of [handoffFlow, countFlow] as { id: string }[]) {
      await must(api, "PUT", `/api/v1/flows/${flow.id}`, flow);
      await must(api, "POST", `/api/v1/flows/${flow.id}/publish`);
    }
    const bodies: string[] = [];
    for (let i = 0; i < events.length; i += opts.batchSize) {
      const part = events.slice(i, i + opts.batchSize).map((e) => ({ id: e.id, email: e.email, type: e.type, properties: e.properties }));
      bodies.push(JSON.stringify({ events: part }));
    }
    opts.log(`  ${events.length} events in ${bodies.length} requests of ${opts.batchSize}, ${opts.inFlight} in flight → ${server.url} (pid ${server.pid})`);
    const stopRss = server.sampleRss();
    const { acks, accepted, started } = await post(api, bodies, opts.inFlight, opts.log);
    const ackSeconds = (now() - started) / 1000;
    if (accepted !== events.length) throw new Error(`accepted ${accepted} of ${events.length} events`);
    await waitScored(client, events.length, opts.scoreTimeoutMs);
    const scoredSeconds = (now() - started) / 1000;
    const scoredPerSecond = events.length / scoredSeconds;

    opts.log(`  ${Math.round(events.length / ackSeconds)} events/s acknowledged, ${Math.round(scoredPerSecond)} events/s scored; latency at half that rate`);
    const latency = await runLatency({ api, events, ratePerSecond: scoredPerSecond / 2, batchSize: opts.batchSize, seconds: opts.latencySeconds, log: opts.log });
    await waitScored(client, events.length + latency.events, opts.scoreTimeoutMs);
    const maxRssMiB = stopRss();
    return {
      events: events.length,
      requests: bodies.length,
      ackSeconds,
      ackPerSecond: events.length / ackSeconds,
      scoredSeconds,
      scoredPerSecond,
      ackMs: { p50: percentile(acks, 50), p99: percentile(acks, 99), max: acks[acks.length - 1]! },
      maxRssMiB,
      rows: await countRows(client),
      latency,
    };
  } finally {
    await client.end();
    await server.stop();
    await database.close();
  }
}

async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ["events", "leads", "score_ledger", "flow_runs", "outbox_jobs", "deals"]) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    out[table] = Number(rows[0]!.n);
  }
  return out;
}
