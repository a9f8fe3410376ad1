import type { DragEvent } from "react";
import { nodeCatalogue, type NodeType } from "@leadflow/flow";

export const DRAG_TYPE = "application/x-leadflow-node";
const groups = ["triggers", "logic", "scoring", "actions"] as const;

/** Every node type, grouped; drag one onto the canvas (or click to add it in view). */
export function Palette({ onAdd, disabled }: { onAdd: (type: NodeType) => void; disabled: boolean }) {
  const start = (e: DragEvent, type: string) => {
    e.dataTransfer.setData(DRAG_TYPE, type);
    e.dataTransfer.effectAllowed = "move";
  };
  return (
    <aside className="palette" aria-label="Node palette">
      {groups.map((g) => (
        <section key={g}>
          <h3>{g}</h3>
          {(Object.entries(nodeCatalogue) as [NodeType, (typeof nodeCatalogue)[NodeType]][])
            .filter(([, meta]) => meta.group === g)
            .map(([type, meta]) => (
              <div
                key={type}
                className={`palette-item group-${g}`}
                draggable={!disabled}
                onDragStart={(e) => start(e, type)}
                onDoubleClick={() => !disabled && onAdd(type)}
                data-testid={`palette-${type}`}
                title={`${type}: drag onto the canvas, or double-click`}
              >
                {meta.label}
                <span className="muted"> {type}</span>
              </div>
            ))}
        </section>
      ))}
    </aside>
  );
}
