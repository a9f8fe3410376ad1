/**
 * Event → visible score: requests of the sustained run's size sent on a fixed schedule (open
 * loop) at a given rate, each carrying probe events for leads of their own; a probe's latency is
 * from just before its request is sent until `GET /api/v1/leads/{email}` shows its point
 * (engagement ≥ 1 and no pending events). Works whether the POST scores inline or a consumer
 * scores afterwards.
 */
import type { BenchEvent } from "./events.js";
import type { Api } from "./http-ingest.js";
import { now, percentile } from "./stats.js";

const POLL_MS = 10;
const MAX_IN_FLIGHT = 16;
const PROBES_PER_REQUEST = 10;
const PROBE_TIMEOUT_MS = 30_000;

export interface LatencyResult {
  /** events sent (probes included) */
  events: number;
  probes: number;
  targetRate: number;
  achievedRate: number;
  ms: { p50: number; p95: number; p99: number; max: number };
}

interface LeadView {
  scores?: { engagement?: number };
  pendingEvents?: number;
}

async function visible(api: Api, email: string): Promise<boolean> {
  const r = await api("GET", `/api/v1/leads/${encodeURIComponent(email)}`);
  if (r.status === 404) return false;
  if (r.status !== 200) throw new Error(`GET lead ${email} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
  const lead = r.body as LeadView;
  return (lead.scores?.engagement ?? 0) >= 1 && (lead.pendingEvents ?? 0) === 0;
}

async function watchProbe(api: Api, email: string, sentAt: number): Promise<number> {
  for (;;) {
    if (await visible(api, email)) return now() - sentAt;
    if (now() - sentAt > PROBE_TIMEOUT_MS) throw new Error(`probe ${email} not visible after ${PROBE_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export async function runLatency(opts: {
  api: Api;
  events: readonly BenchEvent[];
  ratePerSecond: number;
  batchSize: number;
  seconds: number;
  log: (line: string) => void;
}): Promise<LatencyResult> {
  const { api, batchSize: batch } = opts;
  const intervalMs = (batch / opts.ratePerSecond) * 1000;
  const requests = Math.max(2, Math.floor((opts.seconds * 1000) / intervalMs));
  opts.log(`  ${requests} requests of ${batch} events every ${intervalMs.toFixed(0)} ms (${Math.round(opts.ratePerSecond)} events/s), ${PROBES_PER_REQUEST} probes each`);
  const latencies: number[] = [];
  const pending = new Set<Promise<void>>();
  const failures: unknown[] = [];
  let sent = 0;
  const started = now();
  for (let k = 0; k < requests; k++) {
    const wait = started + k * intervalMs - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    while (pending.size >= MAX_IN_FLIGHT) await Promise.race(pending);
    const probes = Array.from({ length: PROBES_PER_REQUEST }, (_, p) => `probe-${k}-${p}@bench.example`);
    const body = [
      ...probes.map((email, p) => ({ id: `latency-probe-${k}-${p}`, email, type: "probe" })),
      ...Array.from({ length: batch - probes.length }, (_, i) => {
        const e = opts.events[(k * batch + i) % opts.events.length]!;
        return { id: `latency-${k}-${i}`, email: e.email, type: e.type, properties: e.properties };
      }),
    ];
    sent += body.length;
    const sentAt = now();
    const task = (async () => {
      const r = await api("POST", "/api/v1/events", { events: body });
      if (r.status !== 200) throw new Error(`latency request ${k} answered ${r.status}`);
      // polled from the acknowledgement on: no load on the server while the request is in it
      for (const ms of await Promise.all(probes.map((email) => watchProbe(api, email, sentAt)))) latencies.push(ms);
    })();
    // failures are kept and thrown after the loop, so none goes unhandled meanwhile
    const tracked: Promise<void> = task.catch((e: unknown) => void failures.push(e)).finally(() => pending.delete(tracked));
    pending.add(tracked);
  }
  await Promise.all(pending);
  if (failures.length > 0) throw failures[0];
  const seconds = (now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    events: sent,
    probes: latencies.length,
    targetRate: opts.ratePerSecond,
    achievedRate: sent / seconds,
    ms: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies[latencies.length - 1]! },
  };
}
