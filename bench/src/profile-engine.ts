/**
 * A driver for profiling applyEvent alone (no json-rules-engine, no database):
 * `node --cpu-prof --import tsx bench/src/profile-engine.ts` writes a .cpuprofile.
 * PROFILE_SECONDS (default 5), PROFILE_EVENTS (20000), PROFILE_LEADS (5000).
 */
import { generateWorkload } from "./events.js";
import { ruleEvalSetup, timeOurs } from "./rule-eval.js";
import { scoringRules } from "./rule-set.js";

const num = (name: string, fallback: number): number => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
};
const events = num("PROFILE_EVENTS", 20_000);
const leads = num("PROFILE_LEADS", 5_000);
const seconds = num("PROFILE_SECONDS", 5);

const workload = generateWorkload(events, leads);
const { handoff, pageValues, ctxFor, engineEvents, leadOf } = ruleEvalSetup(workload.events, events);
const cpu0 = process.cpuUsage();
const r = timeOurs("hand-off + rules", 2 + scoringRules.length, ctxFor([handoff, pageValues]), engineEvents, leadOf, leads, seconds);
const cpu = process.cpuUsage(cpu0);
// CPU time as well as wall time: on a shared machine the second moves with everyone else's load
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(
  `${Math.round(r.figure.eventsPerSecond).toLocaleString("en")} events/s (wall) over ${r.figure.events} events; ` +
    `~${Math.round(r.figure.events / cpuSeconds).toLocaleString("en")} events per CPU second (incl. warm-up); points ${r.points}`,
);
