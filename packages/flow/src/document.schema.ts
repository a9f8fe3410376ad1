import { z } from "zod";
import { NodeType, nodeCatalogue, type NodeConfig } from "./nodes.schema.js";

export const Position = z.object({ x: z.number(), y: z.number() });

export const Reentry = z.union([
  z.literal("always"),
  z.literal("once"),
  z.object({ cooldownDays: z.number().positive() }),
]);
export type Reentry = z.infer<typeof Reentry>;

export const FlowId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, "flow id: letters, digits, _ and -, at most 64");

/** A node as stored: config is checked per type by validate(), so one bad node does not hide the others. */
export const FlowNodeShape = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  label: z.string().optional(),
  config: z.record(z.string(), z.unknown()).default({}),
  position: Position.optional(),
});
export type FlowNodeShape = z.infer<typeof FlowNodeShape>;

export const FlowEdge = z.object({
  id: z.string().optional(),
  from: z.string().min(1),
  to: z.string().min(1),
  /** output port of `from`: yes/no for a condition, a variant name for a split; absent = default */
  port: z.string().optional(),
});
export type FlowEdge = z.infer<typeof FlowEdge>;

/** The loose shape of a flow document: what validate() accepts before checking each node. */
export const FlowDocumentShape = z.object({
  id: FlowId,
  name: z.string().min(1, "name is required"),
  description: z.string().optional(),
  reentry: Reentry.default("always"),
  nodes: z.array(FlowNodeShape),
  edges: z.array(FlowEdge).default([]),
});
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
