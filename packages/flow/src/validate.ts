import type { z } from "zod";
import type { FlowIssue, Result } from "./compiled.types.js";
import { FlowDocumentShape, type FlowDocument, type FlowNode, type FlowNodeShape } from "./document.schema.js";
import { nodesOnCycles, reachableFrom, type Adjacency } from "./graph.js";
import { isTriggerType, nodeCatalogue, outputPorts, type NodeType } from "./nodes.schema.js";

export interface ValidateOptions {
  /** ids of existing e-mail templates; when given, email.send nodes naming another id are reported */
  templateIds?: ReadonlySet<string>;
}

type Path = (string | number)[];

const toPath = (p: readonly PropertyKey[]): Path => p.map((k) => (typeof k === "number" ? k : String(k)));

const isKnownType = (t: string): t is NodeType => Object.hasOwn(nodeCatalogue, t);

/** zod's "expected string, received undefined" reads badly in an editor; say which field is missing. */
function readable(issue: z.core.$ZodIssue, path: Path): string {
  const where = path.length > 0 ? path.join(".") : "config";
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) return `${where} is required`;
  const last = path[path.length - 1];
  // our own schema messages usually name the field already ("points must not be 0")
  if (path.length === 0 || (typeof last === "string" && issue.message.startsWith(last))) return issue.message;
  return `${where}: ${issue.message}`;
}

function shapeIssues(input: unknown, error: z.ZodError): FlowIssue[] {
  const rawNodes = (input as { nodes?: unknown } | null)?.nodes;
  return error.issues.map((issue) => {
    const path = toPath(issue.path);
    const out: FlowIssue = { code: "invalid_document", path, message: readable(issue, path) };
    // a malformed node is still pinned to its id when the id itself is readable
    if (path[0] === "nodes" && typeof path[1] === "number" && Array.isArray(rawNodes)) {
      const id = (rawNodes[path[1]] as { id?: unknown } | undefined)?.id;
      if (typeof id === "string" && id !== "") out.nodeId = id;
    }
    return out;
  });
}

function checkNode(node: FlowNodeShape, issues: FlowIssue[]): FlowNode | undefined {
  if (!isKnownType(node.type)) {
    issues.push({ code: "unknown_type", nodeId: node.id, path: ["type"], message: `unknown node type "${node.type}"` });
    return undefined;
  }
  const parsed = nodeCatalogue[node.type].config.safeParse(node.config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = toPath(issue.path);
      issues.push({ code: "bad_config", nodeId: node.id, path: ["config", ...path], message: readable(issue, path) });
    }
    return undefined;
  }
  const out = { id: node.id, type: node.type, config: parsed.data } as FlowNode;
  if (node.label !== undefined) out.label = node.label;
  if (node.position !== undefined) out.position = node.position;
  return out;
}

function portMessage(type: NodeType, ports: string[], port: string | undefined): string {
  if (ports.length === 0) return `a ${type} node has no outputs`;
  if (port === undefined) return `an edge from a ${type} node needs a port: ${ports.join(", ")}`;
  return `${type} has no port "${port}" (ports: ${ports.join(", ")})`;
}

/**
 * Checks a flow document and reports every problem at once, each pinned to a node
 * id (or an edge / document path) so the editor can mark them. On success the
 * configs are parsed by their schemas, so defaults are filled in.
 */
export function validate(input: unknown, opts: ValidateOptions = {}): Result<FlowDocument> {
  const shape = FlowDocumentShape.safeParse(input);
  if (!shape.success) return { ok: false, issues: shapeIssues(input, shape.error) };
  const doc = shape.data;
  const issues: FlowIssue[] = [];

  // first node with an id wins; later duplicates are reported and otherwise ignored
  const byId = new Map<string, FlowNodeShape>();
  doc.nodes.forEach((node, i) => {
    if (byId.has(node.id)) {
      issues.push({ code: "duplicate_id", nodeId: node.id, path: ["nodes", i, "id"], message: `node id "${node.id}" is used more than once` });
    } else byId.set(node.id, node);
  });

  const checked: FlowNode[] = [];
  for (const node of doc.nodes) {
    const ok = checkNode(node, issues);
    if (ok) checked.push(ok);
  }

  const adj: Adjacency = new Map([...byId.keys()].map((id) => [id, []]));
  const hasInput = new Set<string>();
  doc.edges.forEach((edge, i) => {
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    if (!from) issues.push({ code: "unknown_node", path: ["edges", i], message: `edge ${i} starts at unknown node "${edge.from}"` });
    if (!to) issues.push({ code: "unknown_node", path: ["edges", i], message: `edge ${i} leads to unknown node "${edge.to}"` });
    if (from && isKnownType(from.type)) {
      const ports = outputPorts(from.type, from.config);
      if (!ports.includes(edge.port ?? "out")) {
        issues.push({ code: "wrong_port", nodeId: from.id, path: ["edges", i, "port"], message: portMessage(from.type, ports, edge.port) });
      }
    }
    if (to && isTriggerType(to.type)) {
      issues.push({ code: "trigger_input", nodeId: to.id, path: ["edges", i], message: `a trigger cannot have incoming edges (from "${edge.from}")` });
    }
    if (from && to) {
      adj.get(from.id)!.push(to.id);
      hasInput.add(to.id);
    }
  });

  const triggers = [...byId.values()].filter((n) => isTriggerType(n.type)).map((n) => n.id);
  if (triggers.length === 0) issues.push({ code: "no_trigger", message: "the flow needs at least one trigger" });

  const onCycle = nodesOnCycles([...byId.keys()], adj);
  for (const id of onCycle) issues.push({ code: "cycle", nodeId: id, message: `node "${id}" is on a cycle` });

  const fed = reachableFrom(triggers, adj);
  for (const node of byId.values()) {
    if (isTriggerType(node.type)) continue;
    if (!hasInput.has(node.id)) {
      issues.push({ code: "unreachable", nodeId: node.id, message: `node "${node.id}" has no incoming edge` });
    } else if (!fed.has(node.id)) {
      issues.push({ code: "no_trigger_upstream", nodeId: node.id, message: `no trigger leads to node "${node.id}"` });
    }
  }

  if (opts.templateIds) {
    for (const node of checked) {
      if (node.type === "email.send" && !opts.templateIds.has(node.config.templateId)) {
        issues.push({ code: "unknown_template", nodeId: node.id, path: ["config", "templateId"], message: `template "${node.config.templateId}" does not exist` });
      }
    }
  }

  if (issues.length > 0) return { ok: false, issues };
  const value: FlowDocument = { id: doc.id, name: doc.name, reentry: doc.reentry, nodes: checked, edges: doc.edges };
  if (doc.description !== undefined) value.description = doc.description;
  return { ok: true, value };
}
