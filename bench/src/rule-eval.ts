/** Part 3: rule evaluation in memory — Leadflow's compiled flows through applyEvent vs json-rules-engine. */
import { Engine } from "json-rules-engine";
import { compile, compileFlowSet, validate, type CompiledFlow } from "@leadflow/flow";
import { applyEvent, defaultScoringModel, type EngineContext, type EngineEvent, type LeadState, type Rep } from "@leadflow/engine";
import { handoffFlow, reps } from "../../apps/server/src/testing/scenario.js";
import type { BenchEvent } from "./events.js";
import { RULES_FLOW_ID, jreOperators, rulesAsFlow, rulesAsJre, scoringRules } from "./rule-set.js";
import { now } from "./stats.js";

export interface EvalFigure {
  label: string;
  rules: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

export interface RuleEvalResult {
  handoff: EvalFigure;
  ours: EvalFigure;
  jre: EvalFigure;
  /** points the 48 rules gave over the events json-rules-engine saw, by each engine (must agree) */
  check: { events: number; ours: number; jre: number };
}

function compiled(doc: unknown, templateIds: Set<string>): CompiledFlow {
  const result = validate(doc, { templateIds });
  if (!result.ok) throw new Error(`flow does not validate: ${JSON.stringify(result.issues.slice(0, 3))}`);
  return compile(result.value, 1);
}

function freshLead(i: number): LeadState {
  return {
    id: `lead-${i}`, email: `lead${i}@bench.example`, properties: { country: "HU" }, stage: "lead", status: "active", ownerId: null,
    fit: 0, engagement: 0, categories: {}, tier: "Cold", lastActivityAt: null, flowState: { thresholds: {}, entries: {} },
  };
}

/** Leadflow and json-rules-engine take this many turns each (see runRuleEval). */
const TURNS = 4;

/** Applies the list pass after pass (fresh leads each pass) until `minSeconds`; returns the figure and the rules' points of the first pass. */
export function timeOurs(label: string, rules: number, ctx: EngineContext, events: readonly EngineEvent[], leadOf: readonly number[], leads: number, minSeconds: number) {
  let points = 0;
  const pass = (count: boolean) => {
    const state: LeadState[] = Array.from({ length: leads }, (_, i) => freshLead(i));
    ctx.rrCursor = 0;
    const t0 = now();
    for (let i = 0; i < events.length; i++) {
      const li = leadOf[i]!;
      const r = applyEvent(ctx, state[li]!, events[i]!);
      state[li] = r.lead;
      ctx.rrCursor = r.rrCursor;
      ctx.reps = r.reps;
      if (count) for (const e of r.effects) if (e.kind === "ledger" && e.flowId === RULES_FLOW_ID) points += e.delta;
    }
    return now() - t0;
  };
  pass(false); // warm-up
  let ms = 0;
  let n = 0;
  let first = true;
  while (ms < minSeconds * 1000 || n === 0) {
    ms += pass(first);
    first = false;
    n += events.length;
  }
  return { figure: { label, rules, events: n, seconds: ms / 1000, eventsPerSecond: n / (ms / 1000) }, points };
}

/** The compiled flows, a context factory and the events as the engine sees them: shared by the timed run and profile-engine.ts. */
export function ruleEvalSetup(list: readonly BenchEvent[], oursEvents: number) {
  const templates = new Set(["warm-intro"]);
  const handoff = compiled(handoffFlow, templates);
  const pageValues = compiled(rulesAsFlow(scoringRules), templates);
  const engineReps: Rep[] = reps.reps.map((r) => ({ ...r, territories: [], active: true, capacity: null, load: 0 }));
  let seq = 0;
  const ctxFor = (flows: CompiledFlow[]): EngineContext => ({
    now: new Date("2026-11-02T09:00:00Z"), flows: compileFlowSet(flows), model: defaultScoringModel,
    reps: engineReps.map((r) => ({ ...r })), rrCursor: 0, newId: () => `id-${++seq}`,
  });
  const sample = list.slice(0, oursEvents);
  const engineEvents: EngineEvent[] = sample.map((e, i) => ({
    id: e.id, type: e.type, properties: e.properties, occurredAt: new Date(Date.UTC(2026, 10, 2, 9) + i * 1000).toISOString(),
  }));
  const leadOf = sample.map((e) => e.lead);
  return { handoff, pageValues, ctxFor, sample, engineEvents, leadOf };
}

export async function runRuleEval(
  list: readonly BenchEvent[],
  opts: { leads: number; oursEvents: number; jreEvents: number; jreMaxSeconds: number; log: (line: string) => void },
): Promise<RuleEvalResult> {
  const { handoff, pageValues, ctxFor, sample, engineEvents, leadOf } = ruleEvalSetup(list, opts.oursEvents);

  opts.log(`  Leadflow: ${sample.length} events per pass, hand-off flow alone, then hand-off + ${scoringRules.length} rules`);
  const a = timeOurs("Leadflow applyEvent, hand-off flow", 4, ctxFor([handoff]), engineEvents, leadOf, opts.leads, 1.5);
  // json-rules-engine over the first jreEvents of the same list (or as many as fit in jreMaxSeconds)
  const engine = new Engine(rulesAsJre(scoringRules), { allowUndefinedFacts: true });
  for (const [name, fn] of Object.entries(jreOperators)) engine.addOperator(name, fn);
  const facts = sample.slice(0, opts.jreEvents).map((e) => ({ type: e.type, ...e.properties }));
  for (const f of facts.slice(0, 200)) await engine.run(f); // warm-up
  opts.log(`  json-rules-engine: up to ${facts.length} events, ${scoringRules.length} rules, in turns with Leadflow`);

  // the two take turns (Leadflow's slice, then json-rules-engine's for as long), so on a shared
  // machine both meet the same load and the ratio is not one quiet moment against a busy one
  const label = `Leadflow applyEvent, hand-off + ${scoringRules.length} rules`;
  const oursCtx = ctxFor([handoff, pageValues]);
  const ours = { label, rules: 2 + scoringRules.length, events: 0, seconds: 0, eventsPerSecond: 0 };
  let jrePoints = 0;
  let n = 0;
  let jreMs = 0;
  for (let turn = 0; turn < TURNS; turn++) {
    const slice = timeOurs(label, ours.rules, oursCtx, engineEvents, leadOf, opts.leads, 1.5 / TURNS).figure;
    ours.events += slice.events;
    ours.seconds += slice.seconds;
    const t0 = now();
    const until = Math.max(slice.seconds * 1000, 250);
    while (n < facts.length && jreMs + (now() - t0) < opts.jreMaxSeconds * 1000 && now() - t0 < until) {
      const r = await engine.run(facts[n]!);
      for (const e of r.events) jrePoints += Number(e.params?.points ?? 0);
      n++;
    }
    jreMs += now() - t0;
  }
  ours.eventsPerSecond = ours.events / ours.seconds;
  const jreSeconds = jreMs / 1000;
  const b = { figure: ours };

  // the same points from our engine over those n events (a fresh pass, untimed)
  let oursPoints = 0;
  {
    const ctx = ctxFor([handoff, pageValues]);
    const state = Array.from({ length: opts.leads }, (_, i) => freshLead(i));
    for (let i = 0; i < n; i++) {
      const li = leadOf[i]!;
      const r = applyEvent(ctx, state[li]!, engineEvents[i]!);
      state[li] = r.lead;
      ctx.rrCursor = r.rrCursor;
      ctx.reps = r.reps;
      for (const e of r.effects) if (e.kind === "ledger" && e.flowId === RULES_FLOW_ID) oursPoints += e.delta;
    }
  }
  if (oursPoints !== jrePoints) {
    throw new Error(`the two rule sets disagree over ${n} events: Leadflow gave ${oursPoints} points, json-rules-engine ${jrePoints}`);
  }
  return {
    handoff: a.figure,
    ours: b.figure,
    jre: { label: `json-rules-engine, ${scoringRules.length} rules`, rules: scoringRules.length, events: n, seconds: jreSeconds, eventsPerSecond: n / jreSeconds },
    check: { events: n, ours: oursPoints, jre: jrePoints },
  };
}
