import type { FlowNode, Reentry } from "./document.schema.js";
import type { BehaviourEvent, BehaviourNeeds } from "./behaviour.js";
import type { EventPlan, PlanTest } from "./event-plan.js";

/** Issue found by validate(): every problem, each pinned to a node (or edge / document path). */
export type FlowIssueCode =
  | "invalid_document" // the document's shape (id, name, nodes, edges) is wrong
  | "duplicate_id" // two nodes share an id
  | "unknown_type" // node.type not in the catalogue
  | "bad_config" // node.config fails its type's schema
  | "unknown_node" // an edge names a node that does not exist
  | "wrong_port" // an edge uses a port its source node does not have (or omits a required one)
  | "trigger_input" // an edge leads into a trigger
  | "no_trigger" // the flow has no trigger at all
  | "cycle" // the node is on a cycle
  | "unreachable" // a non-trigger node with no incoming edge
  | "no_trigger_upstream" // a node with inputs but no trigger upstream
  | "unknown_template"; // email.send names a template that does not exist

export interface FlowIssue {
  code: FlowIssueCode;
  nodeId?: string;
  /** e.g. ["config", "where", 0, "value"] or ["edges", 3] */
  path?: (string | number)[];
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; issues: FlowIssue[] };

/** What a condition reads. Everything a `where` can name. */
export interface EvalContext {
  event?: { type: string; properties: Record<string, unknown> };
  lead: {
    email: string;
    stage: string;
    status: string;
    properties: Record<string, unknown>;
    /** days (fractional) since the lead's last event, as of the evaluation; absent when it never had one */
    daysSinceActivity?: number;
  };
  scores: { total: number; fit: number; engagement: number; categories: Record<string, number> };
  tier: string;
  /** from the weekly score snapshots: how many weeks in a row the total fell */
  trend?: { weeksDown: number };
  /**
   * The lead's events that behaviour fields read (only the types and windows some rule names),
   * and the instant they are read as of (epoch ms). Absent: counts are 0, days-since missing.
   */
  behaviour?: { asOf: number; events: readonly BehaviourEvent[] };
}

/** A compiled condition: a plain function, built once at compile time. */
export type Predicate = (ctx: EvalContext) => boolean;

export interface CompiledNode {
  id: string;
  node: FlowNode;
  /** successors by output port (`out` for the default port) */
  next: Record<string, string[]>;
  /** compiled `where` of trigger.event, trigger.segment and condition nodes */
  test?: Predicate;
  /**
   * The `where` reads nothing but `event.type` and `event.properties.*`: the engine may run
   * `test` against a context holding only the event (built once per event, not per trigger)
   */
  eventOnly?: boolean;
}

export interface CompiledFlow {
  id: string;
  version: number;
  name: string;
  reentry: Reentry;
  nodes: Map<string, CompiledNode>;
  /** ids of the trigger nodes */
  triggers: string[];
}

/** A trigger.event node as the engine's per-event-type index holds it: its test resolved at compile time. */
export interface EventTriggerRef {
  flow: CompiledFlow;
  nodeId: string;
  test: Predicate;
  /** see CompiledNode.eventOnly */
  eventOnly: boolean;
  /** the same test on the event type's plan (see CompiledFlowSet.plans), when every condition reads an event property by name */
  planTest: PlanTest | null;
  /** the trigger's one successor when it is a score.add without outgoing edges: its run is that one step */
  scoreOnly: CompiledNode | null;
}

/** Published flows indexed for the engine: an event is tested only against triggers that could match it. */
export interface CompiledFlowSet {
  flows: Map<string, CompiledFlow>;
  /** event type -> trigger.event nodes listening to it, in flow then node order */
  byEventType: Map<string, EventTriggerRef[]>;
  /** event type -> the plan its triggers' planTests read: load() it with the event's properties first */
  plans: Map<string, EventPlan>;
  /** every trigger.score node */
  scoreTriggers: { flow: CompiledFlow; nodeId: string }[];
  inactiveTriggers: { flow: CompiledFlow; nodeId: string }[];
  segmentTriggers: { flow: CompiledFlow; nodeId: string }[];
  /** the lead history the flows' behaviour fields read; empty when none does, and nothing is loaded */
  behaviour: BehaviourNeeds;
}
