import type { FlowIssue } from "@leadflow/flow";

/** What stops the flow from publishing; an issue of a node selects that node. */
export function IssuesList({ issues, selectNode }: { issues: FlowIssue[]; selectNode: (nodeId: string) => void }) {
  return (
    <section className="issues" aria-label="Issues" data-testid="issues">
      <h3>{issues.length === 0 ? "No issues: ready to publish" : `${issues.length} issue${issues.length > 1 ? "s" : ""}`}</h3>
      <ul>
        {issues.map((i, k) => (
          <li key={k}>
            {i.nodeId ? (
              <button className="link issue" onClick={() => selectNode(i.nodeId!)} data-testid="issue-item">
                <strong>{i.nodeId}</strong>: {i.message}
              </button>
            ) : (
              <span className="issue" data-testid="issue-item">{i.message}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
