/** Issue 10's benchmark table: one line per measure, with its figure, its target and whether it holds. */
import type { BaselineResult } from "./pg-baseline.js";
import type { DecayBenchResult } from "./decay.js";
import type { HttpIngestResult } from "./http-ingest.js";
import type { ImportStallResult } from "./pglite-import.js";
import type { RuleEvalResult } from "./rule-eval.js";
import { fmtInt, fmtMs, fmtRatio } from "./stats.js";

export interface BenchResults {
  http?: HttpIngestResult;
  base?: BaselineResult;
  rules?: RuleEvalResult;
  decay?: DecayBenchResult;
  importStall?: ImportStallResult;
}

const verdict = (holds: boolean) => (holds ? "holds" : "DOES NOT HOLD");
const line = (measure: string, figure: string, target: string, holds: boolean | undefined) =>
  `${measure}: ${figure} | target ${target} | ${holds === undefined ? "not measured" : verdict(holds)}`;
const notRun = (measure: string, target: string, part: string) => `${measure}: not run (BENCH_PARTS lacks ${part}) | target ${target} | not measured`;

function ingestLines(http: HttpIngestResult | undefined, base: BaselineResult | undefined): string[] {
  const ack = "HTTP ingest acknowledged (stored)";
  const sustained = "sustained ingest and scored (consumer keeps up)";
  const latency = "event → visible score at half the sustained rate";
  const rss = "server RSS under the sustained run";
  if (!http) return [notRun(ack, "≥ 8× baseline", "ingest"), notRun(sustained, "≥ 4× baseline", "ingest"), notRun(latency, "p95 ≤ 250 ms, p99 ≤ 1 s", "ingest"), notRun(rss, "≤ 512 MB", "ingest")];
  const ratio = (rate: number) => (base ? ` = ${fmtRatio(rate / base.rowsPerSecond)} the baseline's ${fmtInt(base.rowsPerSecond)} rows/s` : " (no baseline run)");
  const l = http.latency;
  return [
    line(ack, `${fmtInt(http.ackPerSecond)} events/s${ratio(http.ackPerSecond)}, p99 ack ${fmtMs(http.ackMs.p99)}`, "≥ 8× baseline", base && http.ackPerSecond / base.rowsPerSecond >= 8),
    line(sustained, `${fmtInt(http.scoredPerSecond)} events/s${ratio(http.scoredPerSecond)}`, "≥ 4× baseline", base && http.scoredPerSecond / base.rowsPerSecond >= 4),
    line(
      latency,
      `p95 ${fmtMs(l.ms.p95)}, p99 ${fmtMs(l.ms.p99)} (${l.probes} probes, ${fmtInt(l.achievedRate)} of ${fmtInt(l.targetRate)} events/s)`,
      "p95 ≤ 250 ms, p99 ≤ 1 s",
      l.ms.p95 <= 250 && l.ms.p99 <= 1000,
    ),
    line(rss, `${http.maxRssMiB.toFixed(0)} MiB at most`, "≤ 512 MB", http.maxRssMiB * 2 ** 20 <= 512e6),
  ];
}

function rulesLine(rules: RuleEvalResult | undefined): string {
  const measure = "applyEvent, 48 rules, vs json-rules-engine";
  if (!rules) return notRun(measure, "≥ 200×", "rules");
  const ratio = rules.ours.eventsPerSecond / rules.jre.eventsPerSecond;
  return line(measure, `${fmtInt(rules.ours.eventsPerSecond)} events/s = ${fmtRatio(ratio)} json-rules-engine's ${fmtInt(rules.jre.eventsPerSecond)}`, "≥ 200×", ratio >= 200);
}

function decayLines(d: DecayBenchResult | undefined): string[] {
  const decay = "decay of the leads vs one SQL UPDATE pass";
  const beside = "ingestion while decay runs";
  const timers = "due timers";
  if (!d) return [notRun(decay, "≥ 0.5×", "decay"), notRun(beside, "≥ 85% of its rate alone", "decay"), notRun(timers, "≥ 30k/s", "decay")];
  const ratio = d.decay.rowsPerSecond / d.sqlPass.rowsPerSecond;
  return [
    line(`${decay} (${fmtInt(d.leads)} leads)`, `${fmtInt(d.decay.rowsPerSecond)} leads/s = ${fmtRatio(ratio)} the UPDATE's ${fmtInt(d.sqlPass.rowsPerSecond)} rows/s`, "≥ 0.5×", ratio >= 0.5),
    line(
      beside,
      `${(d.ingest.ratio * 100).toFixed(0)}% (${fmtInt(d.ingest.duringDecay)} vs ${fmtInt(d.ingest.alone)} events/s)${d.ingest.decayStillRunning ? "" : ", decay ended before the sample did"}`,
      "≥ 85% of its rate alone",
      d.ingest.ratio >= 0.85,
    ),
    timersLine(timers, d.timers),
  ];
}

/** X3's timer part may report how many processes shared the timers and whether each fired once; read if present. */
function timersLine(measure: string, t: DecayBenchResult["timers"]): string {
  const { processes, exactlyOnce } = t as { processes?: number; exactlyOnce?: boolean };
  const across = processes === undefined ? "one process" : `${processes} processes${exactlyOnce === undefined ? "" : exactlyOnce ? ", each exactly once" : ", NOT each exactly once"}`;
  return line(`${measure} (${fmtInt(t.count)}, ${across})`, `${fmtInt(t.perSecond)}/s`, "≥ 30k/s, each exactly once across 3 processes", t.perSecond >= 30_000 && exactlyOnce !== false);
}

function importLine(r: ImportStallResult | undefined): string {
  const measure = "PGlite: longest event-loop stall during a leads import";
  if (!r) return notRun(measure, "≤ 100 ms", "import");
  return line(
    `${measure} (${fmtInt(r.rows)} rows)`,
    `${fmtMs(r.stallMs.max)} (p99 ${fmtMs(r.stallMs.p99)}, ${fmtInt(r.pings)} /healthz answers; import ${fmtInt(r.rowsPerSecond)} rows/s)`,
    "≤ 100 ms",
    r.stallMs.max <= 100,
  );
}

/** The summary: every measure of issue 10's table, in its order. */
export function verdictLines(r: BenchResults): string[] {
  return ["", "Issue 10 targets (one line each: measure: figure | target | verdict)", ...ingestLines(r.http, r.base), rulesLine(r.rules), ...decayLines(r.decay), importLine(r.importStall)];
}
