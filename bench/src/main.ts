/**
 * Leadflow's benchmark (`pnpm bench`, `BENCH_QUICK=1` for small sizes): issue 10's table —
 * ingestion over HTTP (acknowledged, scored, latency, server RSS) against a one-row-per-transaction
 * INSERT baseline, rule evaluation against json-rules-engine, decay and timers, and PGlite's
 * event-loop stall during an import. Prints the tables, then one line per target with its verdict;
 * not a test, asserts only that the work was done right.
 */
import os from "node:os";
import pg from "pg";
import { TEST_DATABASE_URL } from "@leadflow/db/testing";
import { generateWorkload, mix } from "./events.js";
import { runHttpIngest, type HttpIngestResult } from "./http-ingest.js";
import { runImportStall } from "./pglite-import.js";
import { verdictLines, type BenchResults } from "./verdicts.js";
import { runPgBaseline, type BaselineResult } from "./pg-baseline.js";
import { runRuleEval, type RuleEvalResult } from "./rule-eval.js";
import { formatDecayBench, runDecayBench } from "./decay.js";
import { fmtInt, fmtMs, fmtRatio, now, table } from "./stats.js";

/** BENCH_QUICK=1: small sizes (the whole run under 2 minutes), the same lines. */
const QUICK = process.env.BENCH_QUICK === "1" || process.env.BENCH_QUICK === "true";
/** Sizes; BENCH_* environment variables override them for experiments (the defaults are the published run). */
const knob = (name: string, full: number, quick: number): number => {
  const raw = process.env[`BENCH_${name}`];
  const n = raw === undefined || raw === "" ? (QUICK ? quick : full) : Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`BENCH_${name} must be a positive integer, not ${raw}`);
  return n;
};
const EVENTS = knob("EVENTS", 100_000, 20_000);
const LEADS = knob("LEADS", 10_000, 2_000);
const BATCH = knob("BATCH", 1000, 1000); // the API maximum: fewer commits and lock rounds than 500 (~10% faster)
const IN_FLIGHT = knob("IN_FLIGHT", 4, 4);
const BASELINE_CLIENTS = knob("BASELINE_CLIENTS", 4, 4);
const BASELINE_ROWS = knob("BASELINE_ROWS", 100_000, 6_000);
const LATENCY_SECONDS = knob("LATENCY_SECONDS", 20, 4);
const EVAL_EVENTS = knob("EVAL_EVENTS", 20_000, 5_000);
const JRE_EVENTS = knob("JRE_EVENTS", 5_000, 1_000);
const JRE_MAX_SECONDS = QUICK ? 3 : 15;
const DECAY_LEADS = knob("DECAY_LEADS", 1_000_000, 30_000);
const TIMERS = knob("TIMERS", 100_000, 10_000);
const IMPORT_ROWS = knob("IMPORT_ROWS", 100_000, 1_000);
/** BENCH_PARTS=ingest,baseline,rules,decay,import (default: all five) */
const PARTS = new Set((process.env.BENCH_PARTS ?? "ingest,baseline,rules,decay,import").split(",").map((p) => p.trim()));

const log = (line: string) => process.stderr.write(`${line}\n`);

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string; f: string; s: string }>(
      "SELECT current_setting('server_version') AS v, current_setting('fsync') AS f, current_setting('synchronous_commit') AS s",
    );
    return `${rows[0]!.v} (fsync ${rows[0]!.f}, synchronous_commit ${rows[0]!.s})`;
  } finally {
    await client.end();
  }
}

/** Flushes what earlier parts left in the WAL, so one part's checkpoint does not land in the next part's timing. */
async function checkpoint(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query("CHECKPOINT");
  } catch (e) {
    log(`  (CHECKPOINT failed, timings may include one: ${e instanceof Error ? e.message : String(e)})`);
  } finally {
    await client.end();
  }
}

/** Runs the parts named in BENCH_PARTS, each after a CHECKPOINT so one does not pay for another's writes. */
async function runParts(workload: ReturnType<typeof generateWorkload>): Promise<BenchResults> {
  const r: BenchResults = {};
  if (PARTS.has("baseline")) {
    log("baseline: one INSERT per transaction through pg");
    await checkpoint();
    r.base = await runPgBaseline({ events: workload.events.slice(0, BASELINE_ROWS), leadIds: workload.leadIds }, { clients: BASELINE_CLIENTS, log });
    log(`  ${fmtInt(r.base.rowsPerSecond)} rows/s`);
  }
  if (PARTS.has("ingest")) {
    log("ingestion over HTTP into PostgreSQL (the server a child process), then latency at half the scored rate");
    await checkpoint();
    r.http = await runHttpIngest(workload.events, { batchSize: BATCH, inFlight: IN_FLIGHT, latencySeconds: LATENCY_SECONDS, scoreTimeoutMs: 600_000, log });
  }
  if (PARTS.has("rules")) {
    log("rule evaluation in memory");
    r.rules = await runRuleEval(workload.events, {
      leads: LEADS, oursEvents: Math.min(EVAL_EVENTS, EVENTS), jreEvents: JRE_EVENTS, jreMaxSeconds: JRE_MAX_SECONDS, log,
    });
  }
  if (PARTS.has("decay")) {
    log(`decay over ${DECAY_LEADS} leads, ${TIMERS} due timers, ingestion beside decay`);
    await checkpoint();
    r.decay = await runDecayBench({ leads: DECAY_LEADS, timers: TIMERS, log });
  }
  if (PARTS.has("import")) {
    log(`PGlite: event-loop stall during a ${IMPORT_ROWS}-row leads import`);
    r.importStall = await runImportStall({ rows: IMPORT_ROWS, log });
  }
  return r;
}

function formatIngest(http: HttpIngestResult | undefined, base: BaselineResult | undefined): string[] {
  if (!http && !base) return [];
  const out = ["", "Ingestion (PostgreSQL, durable commits)"];
  const rows = [["work", "count", "seconds", "rate", "p50", "p99"]];
  if (http) {
    rows.push([
      `HTTP POST /api/v1/events, ${BATCH}/request, ${IN_FLIGHT} in flight: acknowledged`,
      fmtInt(http.events), http.ackSeconds.toFixed(2), `${fmtInt(http.ackPerSecond)} events/s`, fmtMs(http.ackMs.p50), fmtMs(http.ackMs.p99),
    ]);
    rows.push(["  … and every event scored (hand-off + counting flow)", fmtInt(http.events), http.scoredSeconds.toFixed(2), `${fmtInt(http.scoredPerSecond)} events/s`, "", ""]);
  }
  if (base) {
    rows.push([
      `pg INSERT INTO events, 1 row/transaction, ${BASELINE_CLIENTS} clients`,
      fmtInt(base.rows), base.seconds.toFixed(2), `${fmtInt(base.rowsPerSecond)} rows/s`, fmtMs(base.insertMs.p50), fmtMs(base.insertMs.p99),
    ]);
  }
  out.push(table(rows));
  out.push(`(p50/p99: time to acknowledge one request of ${BATCH} events; for the baseline, one INSERT)`);
  if (http) {
    const l = http.latency;
    out.push(
      `left by ingestion: ${Object.entries(http.rows).map(([k, v]) => `${k} ${fmtInt(v)}`).join(", ")}; max ack ${fmtMs(http.ackMs.max)}; server RSS at most ${http.maxRssMiB.toFixed(0)} MiB`,
      `scoring finished ${(http.scoredSeconds - http.ackSeconds).toFixed(2)} s after the last acknowledgement; ledger rows of the counting flow = accepted events (none lost, none scored twice)`,
      `latency: ${l.probes} probes at ${fmtInt(l.achievedRate)} events/s: p50 ${fmtMs(l.ms.p50)}, p95 ${fmtMs(l.ms.p95)}, p99 ${fmtMs(l.ms.p99)}, max ${fmtMs(l.ms.max)}`,
    );
  }
  return out;
}

function formatRules(rules: RuleEvalResult | undefined): string[] {
  if (!rules) return [];
  return [
    "",
    "Rule evaluation (in memory, one core)",
    table([
      ["engine", "rules", "events", "seconds", "events/s"],
      ...[rules.handoff, rules.ours, rules.jre].map((f) => [f.label, String(f.rules), fmtInt(f.events), f.seconds.toFixed(2), fmtInt(f.eventsPerSecond)]),
    ]),
    `ratio Leadflow ÷ json-rules-engine (48 rules): ${fmtRatio(rules.ours.eventsPerSecond / rules.jre.eventsPerSecond)}`,
    `check: over the first ${fmtInt(rules.check.events)} events both gave ${fmtInt(rules.check.ours)} points ` +
      `(Leadflow's figure includes the hand-off flow and building the lead's new state and effects; json-rules-engine only decides)`,
  ];
}

async function main() {
  const started = now();
  const pgVersion = await postgresVersion();
  const cpus = os.cpus();
  log(`generating ${EVENTS} events for ${LEADS} leads`);
  const workload = generateWorkload(EVENTS, LEADS);
  const results = await runParts(workload);
  const { http, base, rules, decay } = results;

  const out: string[] = ["", "Leadflow benchmark", ""];
  out.push(`machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}`);
  out.push(`node ${process.version}, PostgreSQL ${pgVersion}`);
  out.push(
    `workload: ${fmtInt(EVENTS)} events for ${fmtInt(LEADS)} leads, shuffled; ` +
      Object.entries(mix(workload.events)).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${fmtInt(v)}`).join(", "),
  );
  out.push(...formatIngest(http, base), ...formatRules(rules));
  if (decay) out.push(...formatDecayBench(decay));
  if (results.importStall) out.push("", `PGlite import: ${results.importStall.lines.join("; ")} in ${results.importStall.seconds.toFixed(1)} s`);
  out.push(...verdictLines(results));
  out.push("", `whole run: ${((now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`${out.join("\n")}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
