import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@leadflow/db";
import { createTestDatabase, testDatabaseKinds } from "@leadflow/db/testing";
import { createApiKey } from "@leadflow/runtime";
import { loadEnv } from "./env.js";
import { buildApp } from "./http/app.js";
import { checkMetricsAccess } from "./http/metrics.js";
import { createContext, startServer, type RunningServer } from "./server.js";

type Samples = Map<string, number>;

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const SAMPLE = new RegExp(`^(${NAME})(\\{(?:${LABEL})(?:,${LABEL})*,?\\})? (-?[0-9.e+-]+|[Nn][Aa][Nn]|[+-]Inf)( -?\\d+)?$`);
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

/**
 * Parses Prometheus text exposition (format 0.0.4) strictly: every line is a HELP, a TYPE with a
 * known type (once per family, before its samples) or a sample `name{labels} value`. Throws on
 * anything else (values as Prometheus reads them: NaN in any case, as prom-client writes "Nan"); returns the samples keyed by `name{labels}` as written.
 */
function parsePrometheus(text: string): Samples {
  const samples: Samples = new Map();
  const typed = new Set<string>();
  for (const [i, line] of text.split("\n").entries()) {
    if (line === "") continue;
    const comment = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (comment) {
      if (comment[1] === "TYPE") {
        if (!TYPES.has(comment[3]!) || typed.has(comment[2]!)) throw new Error(`line ${i + 1}: bad TYPE: ${line}`);
        typed.add(comment[2]!);
      }
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`line ${i + 1} is not Prometheus text: ${line}`);
    const family = m[1]!.replace(/_(bucket|sum|count|total|created)$/, "");
    if (!typed.has(m[1]!) && !typed.has(family)) throw new Error(`line ${i + 1}: sample before its TYPE: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ""}`, Number(m[3]));
  }
  return samples;
}

async function scrape(url: string): Promise<Samples> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text());
}

const accepted = (s: Samples) => s.get('leadflow_events_accepted_total{source="api"}') ?? 0;

describe.each(testDatabaseKinds)("/metrics on %s", (kind) => {
  let server: RunningServer;
  let key: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const env = { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", SCHEDULER_CRON: "* * * * * *" };
    if (kind === "postgres") {
      const database = await createTestDatabase("postgres");
      server = await startServer(loadEnv({ ...env, DATABASE_URL: database.url }), { webDir: "/nonexistent" });
      close = async () => {
        await server.stop();
        await database.close();
      };
    } else {
      const dir = mkdtempSync(join(tmpdir(), "leadflow-metrics-"));
      server = await startServer(loadEnv({ ...env, DATA_DIR: dir, DATABASE_URL: "" }), { webDir: "/nonexistent" });
      close = async () => {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      };
    }
    ({ key } = await createApiKey(server.ctx.deps.db, "metrics test"));
  }, 60_000);
  afterAll(() => close());

  it("parses as Prometheus text, and the intake counter moves by exactly the events accepted", { timeout: 60_000 }, async () => {
    const before = await scrape(server.url);
    const events = [
      ...Array.from({ length: 7 }, (_, i) => ({ id: `m-${kind}-${i}`, email: `m${i}@example.com`, type: "page_view" })),
      { id: `m-${kind}-0`, email: "m0@example.com", type: "page_view" }, // a duplicate: not accepted again
      { type: "page_view" }, // refused: no lead, e-mail or visitor id
    ];
    // ?wait=true: answered once scored, so the scoring queue is empty again when it returns
    const res = await fetch(`${server.url}/api/v1/events?wait=true`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ events }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 7, duplicates: 1 });

    const after = await scrape(server.url);
    expect(accepted(after) - accepted(before)).toBe(7);
    expect(after.get("leadflow_scoring_queue_events")).toBe(0);
    expect(after.get("leadflow_scoring_lag_seconds")).toBe(0);
    for (const status of ["pending", "sending", "dead"]) expect(after.get(`leadflow_outbox_jobs{status="${status}"}`)).toBe(0);
    const route = 'method="POST",route="/api/v1/events",status_code="200"';
    expect(after.get(`leadflow_http_request_duration_seconds_count{${route}}`)).toBe(1);
    expect(after.get(`leadflow_http_request_duration_seconds_bucket{le="+Inf",${route}}`)).toBe(1);
  });

  it("records each scheduler tick's duration", { timeout: 60_000 }, async () => {
    let ticks = 0;
    for (let i = 0; i < 40 && ticks === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      ticks = (await scrape(server.url)).get('leadflow_scheduler_tick_duration_seconds_count{outcome="ok"}') ?? 0;
    }
    expect(ticks).toBeGreaterThan(0);
  });
});

describe("who may scrape /metrics", () => {
  it("anyone on loopback; elsewhere only with the Bearer METRICS_TOKEN, and nobody when it is unset", () => {
    for (const peer of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) expect(() => checkMetricsAccess(peer, undefined, undefined)).not.toThrow();
    expect(() => checkMetricsAccess("10.0.0.5", undefined, undefined)).toThrow(/loopback only; set METRICS_TOKEN/);
    expect(() => checkMetricsAccess("10.0.0.5", "Bearer x", undefined)).toThrow(/loopback only/);
    const token = "a-long-metrics-token";
    expect(() => checkMetricsAccess("10.0.0.5", undefined, token)).toThrow(/Bearer <METRICS_TOKEN>/);
    expect(() => checkMetricsAccess("10.0.0.5", "Bearer wrong-token-of-same-ln", token)).toThrow(/Bearer <METRICS_TOKEN>/);
    expect(() => checkMetricsAccess("10.0.0.5", `Bearer ${token}`, token)).not.toThrow();
  });

  it("answers 403, 401 and 200 to a remote scraper as the token says (the socket's address, not X-Forwarded-For)", async () => {
    const database = await openDatabase({ kind: "pglite" });
    const ctx = createContext(database, loadEnv({ LOG_LEVEL: "silent" }));
    const token = "a-long-metrics-token";
    const open = await buildApp(ctx, { logLevel: "silent" });
    const guarded = await buildApp(ctx, { logLevel: "silent", metricsToken: token, trustProxy: true });
    try {
      const remote = { method: "GET" as const, url: "/metrics", remoteAddress: "10.0.0.5" };
      expect((await open.inject(remote)).statusCode).toBe(403);
      expect((await guarded.inject({ ...remote, headers: { "x-forwarded-for": "127.0.0.1" } })).statusCode).toBe(401);
      const ok = await guarded.inject({ ...remote, headers: { authorization: `Bearer ${token}` } });
      expect(ok.statusCode).toBe(200);
      expect(parsePrometheus(ok.body).has("leadflow_outbox_jobs{status=\"dead\"}")).toBe(true);
      expect((await open.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(200); // inject's default peer is 127.0.0.1
    } finally {
      await open.close();
      await guarded.close();
      await database.close();
    }
  });
});
