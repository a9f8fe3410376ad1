import { z } from "zod";
import { NodeType, nodeCatalogue, type NodeConfig } from "./nodes.schema.js";
import { MAX_KEY_LENGTH, safeJson, safeString } from "./safe-input.js";
import { SLUG_PATTERN } from "./vocabulary.js";

export const Position = z.object({ x: z.number(), y: z.number() });

export const Reentry = z.union([
  z.literal("always"),
  z.literal("once"),
  z.object({ cooldownDays: z.number().positive().max(3650, "cooldownDays: at most 3650 (ten years)") }),
]);
export type Reentry = z.infer<typeof Reentry>;

export const FlowId = z.string().regex(SLUG_PATTERN, "flow id: letters, digits, _ and -, at most 64");

/** Node ids, edge ids and ports: short, storable names (the editor makes `n1`, `t-demo`…). */
const Name = safeString(64).min(1, "must not be empty");

/** A node as stored: config is checked per type by validate(), so one bad node does not hide the others. */
export const FlowNodeShape = z.object({
  id: Name,
  type: safeString(64).min(1, "must not be empty"),
  label: safeString(200).optional(),
  config: z.record(safeString(MAX_KEY_LENGTH), z.unknown()).default({}),
  position: Position.optional(),
});
export type FlowNodeShape = z.infer<typeof FlowNodeShape>;

export const FlowEdge = z.object({
  id: Name.optional(),
  from: Name,
  to: Name,
  /** output port of `from`: yes/no for a condition, a variant name for a split; absent = default */
  port: Name.optional(),
});
export type FlowEdge = z.infer<typeof FlowEdge>;

export const MAX_FLOW_NODES = 500;
export const MAX_FLOW_EDGES = 2000;
/** Characters of a flow document's JSON: a 500-node flow with long conditions stays far below. */
export const MAX_FLOW_SIZE = 1_000_000;

/**
 * The loose shape of a flow document: what validate() accepts before checking each node. The
 * whole document passes the storable-JSON rule first (see safe-input.ts), so a deep or
 * unstorable value anywhere in a node's config is refused before anything reads it.
 */
export const FlowDocumentShape = safeJson({ maxSize: MAX_FLOW_SIZE }).pipe(
  z.object({
    id: FlowId,
    name: safeString(200).min(1, "name is required"),
    description: safeString(2000).optional(),
    reentry: Reentry.default("always"),
    nodes: z.array(FlowNodeShape).max(MAX_FLOW_NODES, `a flow has at most ${MAX_FLOW_NODES} nodes`),
    edges: z.array(FlowEdge).max(MAX_FLOW_EDGES, `a flow has at most ${MAX_FLOW_EDGES} edges`).default([]),
  }),
);
export type FlowDocumentShape = z.infer<typeof FlowDocumentShape>;

/** A node whose config has been checked against its type. */
export type FlowNode = {
  [T in NodeType]: { id: string; type: T; label?: string; config: NodeConfig<T>; position?: { x: number; y: number } };
}[NodeType];

/** A valid flow document (the output of validate()). */
export interface FlowDocument {
  id: string;
  name: string;
  description?: string;
  reentry: Reentry;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export { NodeType, nodeCatalogue };
