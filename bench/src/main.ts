/**
 * Leadflow's benchmark (`pnpm bench`): ingestion over HTTP into PostgreSQL against a plain
 * one-row-per-transaction INSERT baseline, and in-memory rule evaluation against json-rules-engine.
 * Prints a table; not a test, asserts only that the work was done right.
 */
import os from "node:os";
import pg from "pg";
import { TEST_DATABASE_URL } from "@leadflow/db/testing";
import { generateWorkload, mix } from "./events.js";
import { runHttpIngest, type HttpIngestResult } from "./http-ingest.js";
import { runPgBaseline, type BaselineResult } from "./pg-baseline.js";
import { runRuleEval, type RuleEvalResult } from "./rule-eval.js";
import { formatDecayBench, runDecayBench, type DecayBenchResult } from "./decay.js";
import { fmtInt, fmtMs, fmtRatio, now, table } from "./stats.js";

/** Sizes; BENCH_* environment variables override them for experiments (the defaults are the published run). */
const knob = (name: string, fallback: number): number => {
  const raw = process.env[`BENCH_${name}`];
  const n = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`BENCH_${name} must be a positive integer, not ${raw}`);
  return n;
};
const EVENTS = knob("EVENTS", 100_000);
const LEADS = knob("LEADS", 10_000);
const BATCH = knob("BATCH", 1000); // the API maximum: fewer commits and lock rounds than 500 (~10% faster)
const IN_FLIGHT = knob("IN_FLIGHT", 4);
const BASELINE_CLIENTS = knob("BASELINE_CLIENTS", 4);
const EVAL_EVENTS = knob("EVAL_EVENTS", 20_000);
const JRE_EVENTS = knob("JRE_EVENTS", 5_000);
const JRE_MAX_SECONDS = 15;
const DECAY_LEADS = knob("DECAY_LEADS", 1_000_000);
const TIMERS = knob("TIMERS", 100_000);
/** BENCH_PARTS=ingest,baseline,rules,decay (default: all four) */
const PARTS = new Set((process.env.BENCH_PARTS ?? "ingest,baseline,rules,decay").split(",").map((p) => p.trim()));

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

interface PartResults {
  http?: HttpIngestResult;
  base?: BaselineResult;
  rules?: RuleEvalResult;
  decay?: DecayBenchResult;
}

/** Runs the parts named in BENCH_PARTS, each after a CHECKPOINT so one does not pay for another's writes. */
async function runParts(workload: ReturnType<typeof generateWorkload>): Promise<PartResults> {
  const r: PartResults = {};
  if (PARTS.has("ingest")) {
    log("ingestion over HTTP into PostgreSQL");
    await checkpoint();
    r.http = await runHttpIngest(workload.events, { batchSize: BATCH, inFlight: IN_FLIGHT, log });
    log(`  ${fmtInt(r.http.eventsPerSecond)} events/s`);
  }
  if (PARTS.has("baseline")) {
    log("baseline: one INSERT per transaction through pg");
    await checkpoint();
    r.base = await runPgBaseline(workload, { clients: BASELINE_CLIENTS, log });
    log(`  ${fmtInt(r.base.rowsPerSecond)} rows/s`);
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
  return r;
}

function formatIngest(http: HttpIngestResult | undefined, base: BaselineResult | undefined): string[] {
  if (!http && !base) return [];
  const out = ["", "Ingestion (PostgreSQL, durable commits)"];
  const rows = [["work", "count", "seconds", "rate", "p50", "p99"]];
  if (http) {
    rows.push([
      `HTTP POST /api/v1/events, ${BATCH}/request, ${IN_FLIGHT} in flight, hand-off flow`,
      fmtInt(http.events), http.seconds.toFixed(2), `${fmtInt(http.eventsPerSecond)} events/s`,
      fmtMs(http.ackMs.p50), fmtMs(http.ackMs.p99),
    ]);
  }
  if (base) {
    rows.push([
      `pg INSERT INTO events, 1 row/transaction, ${BASELINE_CLIENTS} clients`,
      fmtInt(base.rows), base.seconds.toFixed(2), `${fmtInt(base.rowsPerSecond)} rows/s`,
      fmtMs(base.insertMs.p50), fmtMs(base.insertMs.p99),
    ]);
  }
  out.push(table(rows));
  if (http && base) out.push(`ratio HTTP events/s ÷ baseline rows/s: ${fmtRatio(http.eventsPerSecond / base.rowsPerSecond)}`);
  out.push(`(p50/p99: time to acknowledge one request of ${BATCH} events; for the baseline, one INSERT)`);
  if (http) {
    out.push(
      `left by ingestion: ${Object.entries(http.rows).map(([k, v]) => `${k} ${fmtInt(v)}`).join(", ")}; ` +
        `max ack ${fmtMs(http.ackMs.max)}; database ${fmtInt(http.pgStats.commits)} commits, ` +
        `${fmtInt(http.pgStats.rollbacks)} rollbacks, ${http.pgStats.deadlocks} deadlocks`,
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
  const { http, base, rules, decay } = await runParts(workload);

  const out: string[] = ["", "Leadflow benchmark", ""];
  out.push(`machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}`);
  out.push(`node ${process.version}, PostgreSQL ${pgVersion}`);
  out.push(
    `workload: ${fmtInt(EVENTS)} events for ${fmtInt(LEADS)} leads, shuffled; ` +
      Object.entries(mix(workload.events)).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${fmtInt(v)}`).join(", "),
  );
  out.push(...formatIngest(http, base), ...formatRules(rules));
  if (decay) out.push(...formatDecayBench(decay));
  out.push("", `whole run: ${((now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`${out.join("\n")}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
