import type { CompiledFlow, CompiledFlowSet, CompiledNode } from "./compiled.types.js";
import type { FlowDocument, FlowNode } from "./document.schema.js";
import { assertNever } from "./assert-never.js";
import { compileWhere } from "./condition-compiler.js";
import { collectBehaviourNeeds, noBehaviourNeeds } from "./behaviour.js";
import { EventPlan, planWhere } from "./event-plan.js";

/** Whether every condition reads the event itself (`event.type`, `event.properties.*`), nothing of the lead. */
function readsOnlyEvent(where: readonly { field: string }[]): boolean {
  return where.every((c) => c.field === "event.type" || c.field.startsWith("event.properties."));
}

/** Attaches what a node needs at run time; conditions become closures here, once per published version. */
function compileNode(node: FlowNode, next: Record<string, string[]>): CompiledNode {
  const base: CompiledNode = { id: node.id, node, next };
  switch (node.type) {
    case "trigger.event":
      return { ...base, test: compileWhere(node.config.where, "all"), eventOnly: readsOnlyEvent(node.config.where) };
    case "trigger.segment":
    case "condition":
      return { ...base, test: compileWhere(node.config.where, node.config.match), eventOnly: readsOnlyEvent(node.config.where) };
    case "trigger.score":
    case "trigger.inactive":
    case "wait":
    case "split":
    case "exit":
    case "score.add":
    case "score.threshold":
    case "email.send":
    case "sales.assign":
    case "sales.notify":
    case "lead.update":
    case "webhook":
      return base;
    default:
      return assertNever(node, "node type");
  }
}

/** Compiles a validated document (see validate()) into the form the engine runs. */
export function compile(doc: FlowDocument, version: number): CompiledFlow {
  const next = new Map<string, Record<string, string[]>>(doc.nodes.map((n) => [n.id, {}]));
  for (const edge of doc.edges) {
    const ports = next.get(edge.from);
    if (!ports) continue;
    (ports[edge.port ?? "out"] ??= []).push(edge.to);
  }
  const nodes = new Map<string, CompiledNode>();
  const triggers: string[] = [];
  for (const node of doc.nodes) {
    nodes.set(node.id, compileNode(node, next.get(node.id)!));
    if (node.type.startsWith("trigger.")) triggers.push(node.id);
  }
  return { id: doc.id, version, name: doc.name, reentry: doc.reentry, nodes, triggers };
}

/** The trigger's one successor when it is a score.add that leads nowhere (the run is that one step), else null. */
function scoreOnly(flow: CompiledFlow, triggerId: string): CompiledNode | null {
  const ports = Object.entries(flow.nodes.get(triggerId)!.next);
  if (ports.length !== 1 || ports[0]![0] !== "out" || ports[0]![1].length !== 1) return null;
  const step = flow.nodes.get(ports[0]![1][0]!);
  if (step?.node.type !== "score.add" || Object.values(step.next).some((to) => to.length > 0)) return null;
  return step;
}

/** Indexes published flows by trigger so an event is tested only against triggers that could match it. */
export function compileFlowSet(flows: readonly CompiledFlow[]): CompiledFlowSet {
  const set: CompiledFlowSet = {
    flows: new Map(),
    byEventType: new Map(),
    plans: new Map(),
    scoreTriggers: [],
    inactiveTriggers: [],
    segmentTriggers: [],
    behaviour: noBehaviourNeeds(),
  };
  for (const flow of flows) {
    set.flows.set(flow.id, flow);
    for (const { node } of flow.nodes.values()) {
      if (node.type === "trigger.event" || node.type === "trigger.segment" || node.type === "condition") {
        collectBehaviourNeeds(node.config.where, set.behaviour);
      }
    }
    for (const nodeId of flow.triggers) {
      const { node, test, eventOnly } = flow.nodes.get(nodeId)!;
      const ref = { flow, nodeId };
      switch (node.type) {
        case "trigger.event": {
          let plan = set.plans.get(node.config.eventType);
          if (!plan) set.plans.set(node.config.eventType, (plan = new EventPlan()));
          const planTest = planWhere(plan, node.config.where);
          const eventRef = { flow, nodeId, test: test!, eventOnly: eventOnly === true, planTest, scoreOnly: scoreOnly(flow, nodeId) };
          const list = set.byEventType.get(node.config.eventType);
          if (list) list.push(eventRef);
          else set.byEventType.set(node.config.eventType, [eventRef]);
          break;
        }
        case "trigger.score":
          set.scoreTriggers.push(ref);
          break;
        case "trigger.inactive":
          set.inactiveTriggers.push(ref);
          break;
        case "trigger.segment":
          set.segmentTriggers.push(ref);
          break;
        default:
          break;
      }
    }
  }
  return set;
}
