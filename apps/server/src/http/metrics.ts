import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { outboxDepth, scoringBacklog, type DB, type Kysely } from "@leadflow/db";
import { AppError, SEGMENT_CALLS } from "@leadflow/runtime";

/**
 * The process's Prometheus metrics (prom-client), one registry per server so tests can run
 * several servers in one process. Counters and histograms are this process's; the outbox depth
 * and the scoring queue are read from the database at each scrape (shared by every process).
 */
export class ServerMetrics {
  readonly registry = new Registry();
  /** events stored by an intake route (REST, the website snippet, Segment), by source */
  readonly eventsAccepted = new Counter({
    name: "leadflow_events_accepted_total",
    help: "Events accepted by the intake routes (duplicates and refused events not counted).",
    labelNames: ["source"] as const,
    registers: [this.registry],
  });
  readonly tickDuration = new Histogram({
    name: "leadflow_scheduler_tick_duration_seconds",
    help: "Duration of scheduler ticks (timers, decay, triggers, snapshots, outbox), by outcome.",
    labelNames: ["outcome"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: "leadflow_http_request_duration_seconds",
    help: "HTTP request latency by method, route pattern (never the raw path) and status code.",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(db: Kysely<DB>) {
    // one query for both scoring gauges per scrape: the first collect() asks, the second reuses it
    let backlog: ReturnType<typeof scoringBacklog> | undefined;
    const readBacklog = () => (backlog ??= scoringBacklog(db).finally(() => setImmediate(() => (backlog = undefined))));
    new Gauge({
      name: "leadflow_scoring_lag_seconds",
      help: "Age of the oldest stored event not scored yet (by its received time; 0 when none is waiting).",
      registers: [this.registry],
      async collect() {
        this.set((await readBacklog()).lagSeconds);
      },
    });
    new Gauge({
      name: "leadflow_scoring_queue_events",
      help: "Stored events waiting to be scored (the scoring consumers' queue).",
      registers: [this.registry],
      async collect() {
        this.set((await readBacklog()).events);
      },
    });
    new Gauge({
      name: "leadflow_outbox_jobs",
      help: "Outbox jobs waiting (pending), being delivered (sending) or given up (dead), by status.",
      labelNames: ["status"] as const,
      registers: [this.registry],
      async collect() {
        for (const [status, n] of Object.entries(await outboxDepth(db))) this.set({ status }, n);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: "leadflow_process_" });
  }
}

/** The intake routes and the source label each counts under. */
const INTAKE_ROUTES: ReadonlyMap<string, string> = new Map([
  ["/api/v1/events", "api"],
  ["/t/e", "snippet"],
  ["/v1/batch", "segment"],
  ...SEGMENT_CALLS.map((call): [string, string] => [`/v1/${call}`, "segment"]),
]);

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Who may scrape: anyone on loopback (the socket's address, not request.ip, which a client
 * behind TRUST_PROXY could forge); elsewhere a `Bearer METRICS_TOKEN`, and nobody when it is unset.
 */
export function checkMetricsAccess(peer: string | undefined, authorization: string | undefined, token: string | undefined): void {
  if (peer && LOOPBACK.has(peer)) return;
  if (!token) throw new AppError("forbidden", "/metrics answers on loopback only; set METRICS_TOKEN to scrape from elsewhere");
  const given = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : undefined;
  if (!given || !sameSecret(given, token)) throw new AppError("unauthorized", "/metrics needs Authorization: Bearer <METRICS_TOKEN>");
}

const routeOf = (request: FastifyRequest) => request.routeOptions.url ?? "unmatched";

/**
 * Times every request, counts intake routes' accepted events (read from their answer, so
 * every intake path counts without each route doing it) and serves `GET /metrics`.
 */
export function registerMetrics(app: FastifyInstance, metrics: ServerMetrics, token: string | undefined): void {
  app.addHook("onResponse", async (request, reply) => {
    const labels = { method: request.method, route: routeOf(request), status_code: String(reply.statusCode) };
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
  app.addHook("preSerialization", async (request, reply, payload) => {
    const source = request.method === "POST" ? INTAKE_ROUTES.get(routeOf(request)) : undefined;
    const accepted = (payload as { accepted?: unknown } | null)?.accepted;
    if (source && reply.statusCode < 300 && typeof accepted === "number" && accepted > 0) {
      metrics.eventsAccepted.inc({ source }, accepted);
    }
    return payload;
  });
  app.get("/metrics", async (request, reply) => {
    checkMetricsAccess(request.socket.remoteAddress, request.headers.authorization, token);
    const text = await metrics.registry.metrics();
    return reply.header("content-type", metrics.registry.contentType).header("cache-control", "no-store").send(text);
  });
}
