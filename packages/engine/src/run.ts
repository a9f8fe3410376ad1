import { assertNever, type CompiledFlow, type CompiledNode } from "@leadflow/flow";
import { pickRep } from "./assign.js";
import { decayFactor, expiryOf } from "./decay.js";
import { computeFit } from "./fit.js";
import { reentryAllows } from "./reentry.js";
import { leadEvalContext, readScore, scoresBefore, type ScoreSnapshot } from "./scores.js";
import { creditIso, nowIso, own, ownCategories, ownEntries, ownProperties, ownThresholds, type Session } from "./session.js";
import { pickVariant } from "./split.js";
import { tierFor } from "./tiers.js";
import type { Effect, JobType } from "./types.js";
import { isTimeZone, waitDueAt } from "./wait.js";

/** How deeply trigger.score runs may start further trigger.score runs within one call. */
export const MAX_TRIGGER_DEPTH = 5;

type RunEffect = Extract<Effect, { kind: "run" }>;

interface Run {
  flow: CompiledFlow;
  effect: RunEffect;
  /** 0 for runs started by an event or a timer; n for the n-th nested trigger.score */
  depth: number;
}

/**
 * Each node acts at most once per run, so a fan-out that joins again cannot send the same step
 * twice: the visited nodes are the run's path (at most MAX_FLOW_NODES), and the wait it resumed from.
 */
const visited = (run: Run, nodeId: string): boolean => run.effect.path.includes(nodeId) || run.effect.resumedFrom === nodeId;

/**
 * Starts a run of `flow` at one of its triggers, if reentry allows, and walks it.
 * The run effect goes out first (runs it causes come after it) and is completed
 * as the walk proceeds.
 */
export function startRun(s: Session, flow: CompiledFlow, triggerNodeId: string, depth: number, scoreOnly?: CompiledNode | null): boolean {
  const entry = s.lead.flowState.entries[flow.id];
  if (!reentryAllows(flow.reentry, entry, s.ctx.now)) return false;
  ownEntries(s)[flow.id] = { count: (entry?.count ?? 0) + 1, lastAt: nowIso(s) };
  const effect = runEffect(s, flow, s.ctx.newId(), triggerNodeId);
  if (scoreOnly?.node.type === "score.add") {
    // the trigger's one step is a score.add that leads nowhere (EventTriggerRef.scoreOnly): the walk, done directly
    effect.path.push(triggerNodeId, scoreOnly.id);
    scoreAdd(s, flow, effect.runId, scoreOnly.node, depth);
  } else visit(s, { flow, effect, depth }, triggerNodeId);
  return true;
}

/** Continues a run after its wait node, under the same run id. */
export function continueRun(s: Session, flow: CompiledFlow, runId: string, waitNodeId: string, triggerNodeId: string): void {
  const effect = runEffect(s, flow, runId, triggerNodeId, waitNodeId);
  const run: Run = { flow, effect, depth: 0 };
  for (const next of flow.nodes.get(waitNodeId)?.next.out ?? []) visit(s, run, next);
}

/** The run's effect, pushed now (so runs it causes come after it) and completed as the walk proceeds. */
function runEffect(s: Session, flow: CompiledFlow, runId: string, triggerNodeId: string, resumedFrom?: string): RunEffect {
  const effect: RunEffect = {
    kind: "run", runId, flowId: flow.id, version: flow.version, triggerNodeId, eventId: s.event?.id ?? null, path: [], status: "completed",
  };
  if (resumedFrom !== undefined) effect.resumedFrom = resumedFrom;
  s.effects.push(effect);
  return effect;
}

/**
 * Walks the graph depth-first in edge order. A branch ends at a node that returns no port
 * (exit, wait, a threshold not met, a node without outgoing edges); the run's other branches
 * go on, and the run completes once none is left (or waits, when a branch reached a wait).
 * A node reached by two branches acts once, on the first.
 */
function visit(s: Session, run: Run, nodeId: string): void {
  if (visited(run, nodeId)) return;
  const node = run.flow.nodes.get(nodeId);
  if (!node) return;
  run.effect.path.push(nodeId);
  const port = act(s, run, node);
  if (port === null) return;
  const nexts = node.next[port];
  if (nexts) for (let i = 0; i < nexts.length; i++) visit(s, run, nexts[i]!);
}

/** Does what the node does; returns the output port to follow, or null to end this branch. */
function act(s: Session, run: Run, cnode: CompiledNode): string | null {
  const node = cnode.node;
  switch (node.type) {
    case "trigger.event":
    case "trigger.score":
    case "trigger.inactive":
    case "trigger.segment":
      return "out";
    case "condition":
      return cnode.test!(leadEvalContext(s.lead, s.event, s.ctx.now, s.creditAt)) ? "yes" : "no";
    case "split":
      return pickVariant(node.config.variants, s.lead.id, run.flow.id, node.id);
    case "score.add":
      scoreAdd(s, run.flow, run.effect.runId, node, run.depth);
      return "out";
    case "score.threshold": {
      const key = `${run.flow.id}:${node.id}`;
      const { thresholds } = s.lead.flowState;
      if (readScore(s.lead, node.config.score) < node.config.atLeast) {
        if (key in thresholds) delete ownThresholds(s)[key];
        return null;
      }
      if (thresholds[key]) return null;
      ownThresholds(s)[key] = { atLeast: node.config.atLeast, score: node.config.score };
      return "out";
    }
    case "wait":
      s.effects.push({
        kind: "timer",
        runId: run.effect.runId,
        flowId: run.flow.id,
        version: run.flow.version,
        nodeId: node.id,
        dueAt: waitDueAt(node.config, s.ctx.now, leadTimeZone(s)).toISOString(),
        triggerNodeId: run.effect.triggerNodeId,
      });
      run.effect.status = "waiting";
      return null;
    case "exit":
      // ends this branch only: ending the whole run would make the outcome depend on which
      // branch the walk happened to take first (the order of the edges)
      return null;
    case "email.send":
      job(s, run, node.id, "email", { templateId: node.config.templateId });
      return "out";
    case "sales.assign":
      assign(s, run, node.id, node.config);
      return "out";
    case "sales.notify":
      job(s, run, node.id, "notify", { to: node.config.to, repId: s.lead.ownerId });
      return "out";
    case "lead.update":
      if (node.config.stage !== undefined && node.config.stage !== s.lead.stage) own(s).stage = node.config.stage;
      if (node.config.properties) setProperties(s, node.config.properties, run.depth);
      return "out";
    case "webhook":
      // the event, so delivery can tell the receiver what happened (null: a timer, decay or inactivity started it)
      job(s, run, node.id, "webhook", { url: node.config.url, method: node.config.method, eventId: s.event?.id ?? null });
      return "out";
    default:
      return assertNever(node, "node type");
  }
}

function scoreAdd(s: Session, flow: CompiledFlow, runId: string, node: Extract<CompiledNode["node"], { type: "score.add" }>, depth: number): void {
  const { points, category, expiresAfterDays } = node.config;
  // an expiry counts from the event's time, like the points
  const expiresAt = expiresAfterDays === undefined ? null : new Date(s.creditAt + expiresAfterDays * 86_400_000).toISOString();
  addPoints(s, points, category ?? null, expiresAt, { runId, flowId: flow.id, version: flow.version, nodeId: node.id }, depth);
}

/** The lead's own `timeZone` property when it names a real zone, else the workspace's. */
function leadTimeZone(s: Session): string {
  const zone = s.lead.properties.timeZone;
  return isTimeZone(zone) ? zone : (s.ctx.timeZone ?? "UTC");
}

function job(s: Session, run: Run, nodeId: string, jobType: JobType, payload: Record<string, unknown>): void {
  s.effects.push({ kind: "job", runId: run.effect.runId, flowId: run.flow.id, nodeId, jobType, payload });
}

function assign(s: Session, run: Run, nodeId: string, config: Parameters<typeof pickRep>[2]): void {
  const owner = s.lead.ownerId === null ? undefined : s.reps.find((r) => r.id === s.lead.ownerId);
  if (owner?.active) return;
  const pick = pickRep(s.reps, s.rrCursor, config, s.lead.properties);
  if (!pick) return;
  if (s.reps === s.ctx.reps) s.reps = s.reps.map((r) => ({ ...r })); // the context's reps stay untouched
  // the departing (inactive) owner no longer carries this lead
  const current = owner && s.reps.find((r) => r.id === owner.id);
  if (current) current.load = Math.max(0, current.load - 1);
  const rep = s.reps[pick.index]!;
  rep.load += 1;
  s.rrCursor = pick.cursor;
  const lead = own(s);
  lead.ownerId = rep.id;
  lead.stage = "sql";
  s.effects.push({ kind: "assign", repId: rep.id, runId: run.effect.runId, flowId: run.flow.id, nodeId });
  job(s, run, nodeId, "notify", { repId: rep.id, reason: "assigned" });
}

export interface LedgerSource {
  runId: string | null;
  flowId: string | null;
  version: number | null;
  nodeId: string | null;
}

/**
 * Writes a ledger entry and moves engagement. A category cap clamps positive
 * points so the category never exceeds it; an entry clamped to nothing is dropped.
 * Points count from the session's credit time: a late event's points arrive already
 * decayed to what they are worth now (and with nothing, when their expiry has passed),
 * so thresholds and trigger.score see the score as it is. The decay pass takes them on
 * from there (decayScores' fresh entries).
 */
export function addPoints(
  s: Session,
  points: number,
  category: string | null,
  expiresAt: string | null,
  source: LedgerSource,
  depth: number,
): void {
  const now = s.ctx.now.getTime();
  const at = s.creditAt;
  const policy = s.ctx.model.decay;
  const expiry = at < now ? expiryOf(policy, { id: "", delta: points, category, at, expiresAt: expiresAt === null ? null : new Date(expiresAt).getTime() }) : null;
  const expired = expiry !== null && expiry <= now;
  const factor = expired ? 0 : at < now ? decayFactor(policy, now - at) : 1;
  let delta = points;
  let credited = delta * factor;
  const cap = category === null ? undefined : s.ctx.model.categoryCaps[category];
  if (cap !== undefined && credited > 0) {
    const room = Math.max(0, cap - (s.lead.categories[category!] ?? 0));
    if (credited > room) {
      credited = room;
      delta = factor === 1 ? room : room / factor;
    }
  }
  if (delta === 0) return;
  s.effects.push({
    kind: "ledger", runId: source.runId, flowId: source.flowId, version: source.version, nodeId: source.nodeId,
    eventId: s.event?.id ?? null, delta, category, expiresAt,
    at: creditIso(s), credited, expiredAt: expired ? new Date(expiry).toISOString() : null,
  });
  if (credited === 0) return;
  const before = scoresBefore(s);
  own(s).engagement += credited;
  if (category !== null) {
    const categories = ownCategories(s);
    categories[category] = (categories[category] ?? 0) + credited;
  }
  afterScoreChange(s, before, depth);
}

/** Merges properties (null removes one) and recomputes fit. */
export function setProperties(s: Session, properties: Record<string, unknown>, depth: number): void {
  let changed = false;
  for (const [key, value] of Object.entries(properties)) {
    if (value === null || value === undefined) {
      if (key in s.lead.properties) {
        delete ownProperties(s)[key];
        changed = true;
      }
    } else if (s.lead.properties[key] !== value) {
      ownProperties(s)[key] = value;
      changed = true;
    }
  }
  if (!changed) return;
  const before = scoresBefore(s);
  const fit = computeFit(s.ctx.model.fitRules, s.lead, s.ctx.now.getTime());
  if (fit !== s.lead.fit) {
    own(s).fit = fit;
    afterScoreChange(s, before, depth);
  }
}

/**
 * Everything a score change implies, whatever caused it: the tier (and its
 * change record), re-arming thresholds the lead fell below, and trigger.score
 * flows whose value was crossed — started one level deeper, up to MAX_TRIGGER_DEPTH.
 */
export function afterScoreChange(s: Session, before: ScoreSnapshot, depth: number): void {
  const tier = tierFor(s.ctx.model.tiers, s.lead.fit + s.lead.engagement);
  if (tier !== s.lead.tier) {
    s.effects.push({ kind: "tier", from: s.lead.tier, to: tier, eventId: s.event?.id ?? null });
    own(s).tier = tier;
  }
  const lead = s.lead;
  const { thresholds } = lead.flowState;
  // iterates the thresholds as they were; a removal goes to the session's own copy
  for (const key in thresholds) {
    const t = thresholds[key]!;
    if (readScore(lead, t.score) < t.atLeast) delete ownThresholds(s)[key];
  }
  const triggers = s.ctx.flows.scoreTriggers;
  if (triggers.length === 0 || depth + 1 > MAX_TRIGGER_DEPTH) return;
  // decide every crossing against this one change before any triggered run moves the scores again
  let crossed: (typeof triggers)[number][] | undefined;
  for (let i = 0; i < triggers.length; i++) {
    const ref = triggers[i]!;
    const node = ref.flow.nodes.get(ref.nodeId)?.node;
    if (node?.type !== "trigger.score") continue;
    const { crosses, direction, score } = node.config;
    const from = readScore(before, score);
    const to = readScore(lead, score);
    if (direction === "up" ? from < crosses && crosses <= to : from >= crosses && crosses > to) (crossed ??= []).push(ref);
  }
  if (crossed) for (const { flow, nodeId } of crossed) startRun(s, flow, nodeId, depth + 1);
}
