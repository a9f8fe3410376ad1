import { Handle, Position, type NodeProps } from "@xyflow/react";
import { isTriggerType, outputPorts, NodeType } from "@leadflow/flow";
import type { EditorNode } from "./convert.js";
import { IN, OUT } from "./convert.js";
import { useEditorView } from "./editor-context.js";
import { nodeSummary, typeGroup, typeLabel } from "./node-summary.js";

/** A flow node on the canvas: type, label, config summary, issues, traffic, and its ports. */
export function FlowNodeView({ id, data, selected }: NodeProps<EditorNode>) {
  const { issuesByNode, passed } = useEditorView();
  const issues = issuesByNode.get(id) ?? [];
  const known = NodeType.safeParse(data.type).success;
  const ports = known ? outputPorts(data.type as NodeType, data.config) : [OUT];
  const group = typeGroup(data.type);
  const count = passed[id];
  return (
    <div className={`flow-node group-${group}${selected ? " selected" : ""}${issues.length ? " has-issues" : ""}`} data-node-type={data.type}>
      {!isTriggerType(data.type) && <Handle type="target" position={Position.Left} id={IN} />}
      <div className="flow-node-head">
        <span className="flow-node-type">{typeLabel(data.type)}</span>
        {issues.length > 0 && (
          <span className="flow-node-issues" title={issues.map((i) => i.message).join("\n")} data-testid="node-issue-badge">
            {issues.length} issue{issues.length > 1 ? "s" : ""}
          </span>
        )}
      </div>
      <div className="flow-node-label">{data.label || id}</div>
      <div className="flow-node-summary">{nodeSummary(data.type, data.config)}</div>
      <div className="flow-node-count" title="leads that reached this node in the last 30 days">
        {count ? `${count} lead${count > 1 ? "s" : ""} · 30 d` : "no leads yet · 30 d"}
      </div>
      {ports.map((port, i) => (
        <Handle
          key={port}
          type="source"
          position={Position.Right}
          id={port}
          style={{ top: ports.length === 1 ? "50%" : `${((i + 1) / (ports.length + 1)) * 100}%` }}
          className={`port port-${port}`}
        >
          {ports.length > 1 && <span className="port-label">{port}</span>}
        </Handle>
      ))}
    </div>
  );
}
