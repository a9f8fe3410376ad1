/**
 * Part 4 (issue 4): decay over many leads through the scheduler's chunked path, beside one SQL
 * UPDATE over the same table in the same run; the time to clear 100,000 due timers; and the
 * ingestion rate while decay runs against the rate without it. Runs alone too:
 * `tsx bench/src/decay.ts` (BENCH_DECAY_LEADS, BENCH_TIMERS override the sizes).
 */
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { openDatabase, sql, type Database } from "@leadflow/db";
import { createTestDatabase } from "@leadflow/db/testing";
import { applyDecay, fireDueTimers, FlowCache, ingestEvents, publishFlow, saveFlowDraft, saveScoringModel, type RuntimeDeps } from "@leadflow/runtime";
import { boundedMap, fmtInt, now, table } from "./stats.js";

const DAY = 86_400_000;

export interface DecayBenchResult {
  leads: number;
  decay: { seconds: number; rowsPerSecond: number; changed: number; tierChanges: number };
  sqlPass: { seconds: number; rowsPerSecond: number };
  timers: { count: number; seconds: number; perSecond: number; processes: number; exactlyOnce: boolean };
  ingest: { alone: number; duringDecay: number; ratio: number; decayStillRunning: boolean };
}

const knob = (name: string, fallback: number) => {
  const raw = process.env[`BENCH_${name}`];
  return raw ? Number(raw) : fallback;
};

const heat = {
  id: "heat",
  name: "Heat",
  nodes: [
    { id: "t", type: "trigger.event", config: { eventType: "page_view" } },
    { id: "p", type: "score.add", config: { points: 5, category: "web" } },
    { id: "t-signup", type: "trigger.event", config: { eventType: "signup" } },
    { id: "w", type: "wait", config: { minutes: 1 } },
    { id: "p2", type: "score.add", config: { points: 1 } },
  ],
  edges: [
    { from: "t", to: "p" },
    { from: "t-signup", to: "w" },
    { from: "w", to: "p2" },
  ],
};

/** Leads per decay transaction (BENCH_DECAY_CHUNK). */
const DECAY_CHUNK = knob("DECAY_CHUNK", 1000);
/** Timer claims per transaction, and how many scheduler processes (own pools) share the due timers. */
const TIMER_BATCH = 500;
const TIMER_PROCESSES = 3;

/** Fires every due timer from `processes` pools at once, as that many server processes would; returns how many fired. */
async function fireTimersInProcesses(url: string, deps: RuntimeDeps, at: Date, processes: number): Promise<number> {
  const pools = await Promise.all(Array.from({ length: processes }, () => openDatabase({ kind: "postgres", url, poolSize: 2 })));
  try {
    const counts = await Promise.all(
      pools.map(async (p) => {
        const own: RuntimeDeps = { ...deps, db: p.db, flows: new FlowCache() };
        let fired = 0;
        for (;;) {
          const r = await fireDueTimers(own, at, TIMER_BATCH);
          fired += r.fired;
          if (r.fired + r.dropped === 0) return fired;
        }
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
}

async function ingestFor(deps: RuntimeDeps, batches: number, tag: string, leads: number): Promise<number> {
  const bodies = Array.from({ length: batches }, (_, b) =>
    Array.from({ length: 100 }, (_, i) => ({ id: `${tag}-${b}-${i}`, email: `l${((b * 100 + i) * 7919) % leads}@bench.test`, type: "page_view" })),
  );
  const started = now();
  await boundedMap(bodies, 4, (events) => ingestEvents(deps, events));
  return (batches * 100) / ((now() - started) / 1000);
}

export async function runDecayBench(opts: { leads: number; timers: number; log: (line: string) => void }): Promise<DecayBenchResult> {
  const database: Database & { url?: string } = await createTestDatabase("postgres");
  const base = new Date("2026-11-02T09:00:00Z");
  const deps: RuntimeDeps = { db: database.db, clock: { now: () => base }, config: { publicUrl: "http://bench.test", mailFrom: "b@bench.test" }, newId: randomUUID, flows: new FlowCache() };
  const db = database.db;
  try {
    await saveScoringModel(db, { decay: { kind: "halfLife", days: 30 } });
    await saveFlowDraft(db, "heat", heat);
    await publishFlow(db, "heat");
    opts.log(`  seeding ${fmtInt(opts.leads)} leads`);
    await sql`
      INSERT INTO leads (id, email, email_lower, engagement, total, tier, decayed_at)
      SELECT gen_random_uuid(), 'l' || i || '@bench.test', 'l' || i || '@bench.test', e, e,
             CASE WHEN e >= 70 THEN 'Hot' WHEN e >= 30 THEN 'Warm' ELSE 'Cold' END, ${new Date(base.getTime() - DAY)}::timestamptz
      FROM (SELECT i, (i % 1000) / 10.0 AS e FROM generate_series(0, ${opts.leads - 1}) AS i) s`.execute(db);
    await sql`VACUUM ANALYZE leads`.execute(db);

    opts.log("  ingestion alone");
    const alone = await ingestFor(deps, 100, "alone", opts.leads);

    opts.log(`  decay through the scheduler (${fmtInt(DECAY_CHUNK)} leads a transaction) with ingestion alongside`);
    const t1 = new Date(base.getTime() + DAY);
    let decayDone = false;
    const decayStarted = now();
    const decaying = applyDecay(deps, t1, { chunk: DECAY_CHUNK, maxChunks: Number.MAX_SAFE_INTEGER }).then((r) => {
      decayDone = true;
      return r;
    });
    // let decay get going before measuring ingestion beside it
    await new Promise((r) => setTimeout(r, 2000));
    const during = await ingestFor(deps, 100, "during", opts.leads);
    const decayStillRunning = !decayDone;
    const report = await decaying;
    const decaySeconds = (now() - decayStarted) / 1000;

    await sql`VACUUM ANALYZE leads`.execute(db);
    opts.log("  one SQL UPDATE over the same table");
    const sqlStarted = now();
    const updated = await sql`
      UPDATE leads SET engagement = engagement * power(0.5, 1.0 / 30), total = fit + engagement * power(0.5, 1.0 / 30),
             decayed_at = ${new Date(t1.getTime() + DAY)}::timestamptz`.execute(db);
    const sqlSeconds = (now() - sqlStarted) / 1000;

    opts.log(`  ${fmtInt(opts.timers)} due timers`);
    const tNow = new Date(t1.getTime() + 2 * DAY);
    await sql`
      WITH l AS (SELECT id FROM leads ORDER BY id LIMIT ${opts.timers}),
           r AS (INSERT INTO flow_runs (id, lead_id, flow_id, flow_version, trigger_node_id, path, status, started_at, updated_at)
                 SELECT gen_random_uuid(), l.id, 'heat', 1, 't-signup', '["t-signup","w"]', 'waiting', ${tNow}::timestamptz, ${tNow}::timestamptz FROM l
                 RETURNING id, lead_id)
      INSERT INTO timers (id, lead_id, run_id, flow_id, flow_version, node_id, due_at, status)
      SELECT gen_random_uuid(), r.lead_id, r.id, 'heat', 1, 'w', ${new Date(tNow.getTime() - 60_000)}::timestamptz, 'pending' FROM r`.execute(db);
    await sql`VACUUM ANALYZE timers`.execute(db);
    const timersStarted = now();
    const fired = await fireTimersInProcesses(database.url!, deps, tNow, TIMER_PROCESSES);
    const timerSeconds = (now() - timersStarted) / 1000;
    const { rows: once } = await sql<{ pending: number; entries: number; runs: number }>`
      SELECT (SELECT count(*)::int FROM timers WHERE status <> 'done') AS pending,
             (SELECT count(*)::int FROM score_ledger WHERE node_id = 'p2') AS entries,
             (SELECT count(DISTINCT run_id)::int FROM score_ledger WHERE node_id = 'p2') AS runs`.execute(db);
    const exactlyOnce = once[0]!.pending === 0 && once[0]!.entries === opts.timers && once[0]!.runs === opts.timers;
    return {
      leads: opts.leads,
      decay: { seconds: decaySeconds, rowsPerSecond: report.leads / decaySeconds, changed: report.changed, tierChanges: report.tierChanges },
      sqlPass: { seconds: sqlSeconds, rowsPerSecond: Number(updated.numAffectedRows ?? 0) / sqlSeconds },
      timers: { count: fired, seconds: timerSeconds, perSecond: fired / timerSeconds, processes: TIMER_PROCESSES, exactlyOnce },
      ingest: { alone, duringDecay: during, ratio: during / alone, decayStillRunning },
    };
  } finally {
    await database.close();
  }
}

export function formatDecayBench(r: DecayBenchResult): string[] {
  return [
    "",
    `Time (issue 4): decay over ${fmtInt(r.leads)} leads, half-life 30 days, PostgreSQL`,
    table([
      ["work", "rows", "seconds", "rate"],
      [`scheduler decay: ${fmtInt(DECAY_CHUNK)} leads/transaction in SQL, engine for leads near a boundary`, fmtInt(r.decay.changed), r.decay.seconds.toFixed(2), `${fmtInt(r.decay.rowsPerSecond)} leads/s`],
      ["baseline: one UPDATE over the same table", fmtInt(r.leads), r.sqlPass.seconds.toFixed(2), `${fmtInt(r.sqlPass.rowsPerSecond)} rows/s`],
      [`due timers resumed (${TIMER_BATCH} a transaction, ${r.timers.processes} processes)`, fmtInt(r.timers.count), r.timers.seconds.toFixed(2), `${fmtInt(r.timers.perSecond)} timers/s`],
    ]),
    `tier changes from decay: ${fmtInt(r.decay.tierChanges)}`,
    `decay = ${(r.decay.rowsPerSecond / r.sqlPass.rowsPerSecond).toFixed(2)}× the single UPDATE pass (target ≥ 0.5×)`,
    `due timers: ${fmtInt(r.timers.perSecond)}/s (target ≥ 30,000/s), each exactly once across ${r.timers.processes} processes: ${r.timers.exactlyOnce ? "yes" : "NO"}`,
    `ingestion (100-event batches, 4 in flight): ${fmtInt(r.ingest.alone)} events/s alone, ${fmtInt(r.ingest.duringDecay)} events/s while decay runs ` +
      `= ${(r.ingest.ratio * 100).toFixed(0)}% (target ≥ 85%)${r.ingest.decayStillRunning ? "" : " — decay ended before the ingestion sample did"}`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  runDecayBench({ leads: knob("DECAY_LEADS", 1_000_000), timers: knob("TIMERS", 100_000), log })
    .then((r) => process.stdout.write(`${formatDecayBench(r).join("\n")}\n`))
    .catch((e) => {
      process.stderr.write(`decay bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    });
}
