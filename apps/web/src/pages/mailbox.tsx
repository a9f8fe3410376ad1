import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC, type Outputs } from "../trpc.js";
import { Empty, QueryView } from "../ui/states.js";
import { when } from "../ui/format.js";
import "./pages.css";

type Mail = Outputs["mailbox"]["list"][number];

export function MailboxPage() {
  const trpc = useTRPC();
  const mode = useQuery(trpc.mailbox.mode.queryOptions());
  // new mail arrives with each scheduler tick
  const list = useQuery({ ...trpc.mailbox.list.queryOptions(), refetchInterval: 3_000 });
  return (
    <div>
      <div className="page-head">
        <h1>Mailbox</h1>
        <button type="button" onClick={() => void list.refetch()} disabled={list.isFetching} data-testid="mailbox-refresh">
          {list.isFetching ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      {mode.data?.smtp ? (
        <p className="notice" data-testid="mailbox-smtp">
          E-mail is delivered to the configured SMTP server. This mailbox shows only what was kept locally, so it may be empty
          or incomplete; check the recipients’ inboxes or your SMTP provider for what was sent.
        </p>
      ) : mode.data ? (
        <p className="muted page-intro" data-testid="mailbox-local">
          No SMTP server is configured, so every e-mail Leadflow sends (to leads and to sales reps) lands here instead of in a
          real inbox. Use it to check what your flows send. Newest first; the last 100 are shown.
        </p>
      ) : null}
      <QueryView query={list}>{(mails) => <Mailbox mails={mails} />}</QueryView>
    </div>
  );
}

function Mailbox({ mails }: { mails: Mail[] }) {
  const [selectedId, setSelectedId] = useState<string | null>(mails[0]?.id ?? null);
  if (mails.length === 0) return <Empty>No e-mail yet. E-mails appear here when a flow sends one.</Empty>;
  const selected = mails.find((m) => m.id === selectedId) ?? mails[0]!;
  return (
    <div className="grid-2" style={{ gridTemplateColumns: "minmax(0, 2fr) minmax(0, 3fr)" }}>
      <div className="table-wrap">
        <table className="mail-table" data-testid="mail-list">
          <thead><tr><th>To</th><th>Subject</th><th>Time</th></tr></thead>
          <tbody>
            {mails.map((m) => (
              <tr
                key={m.id}
                data-testid="mail-row"
                className={m.id === selected.id ? "active" : ""}
                tabIndex={0}
                aria-selected={m.id === selected.id}
                onClick={() => setSelectedId(m.id)}
                onKeyDown={(e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); setSelectedId(m.id); } }}
              >
                <td>{m.to}</td>
                <td>{m.subject}</td>
                <td className="nowrap small">{when(m.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <article className="card" aria-label="Selected e-mail" data-testid="mail-viewer">
        <h2 style={{ marginTop: 0 }} data-testid="mail-subject">{selected.subject}</h2>
        <dl className="props" style={{ marginBottom: "0.8rem" }}>
          <dt>From</dt><dd data-testid="mail-from">{selected.from}</dd>
          <dt>To</dt><dd data-testid="mail-to">{selected.to}</dd>
          <dt>Time</dt><dd>{when(selected.createdAt)}</dd>
        </dl>
        {selected.html ? (
          <iframe className="preview-frame" title="E-mail HTML" sandbox="" srcDoc={selected.html} data-testid="mail-html" />
        ) : (
          <p className="muted">This e-mail has no HTML part.</p>
        )}
        <h3 style={{ fontSize: "0.95rem" }}>Plain-text part</h3>
        {selected.text ? <pre className="textpart" data-testid="mail-text">{selected.text}</pre> : <p className="muted">No plain-text part.</p>}
      </article>
    </div>
  );
}
