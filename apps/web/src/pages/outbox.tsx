import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { OUTBOX_STATUSES, type OutboxStatus } from "@leadflow/flow";
import { errorMessage, useTRPC, type Outputs } from "../trpc.js";
import { Link } from "../router.js";
import { Empty, QueryView } from "../ui/states.js";
import { when } from "../ui/format.js";
import { WebhookSecretSection } from "./webhook-secret.js";
import "./pages.css";

type Job = Outputs["outbox"]["list"][number];

// the dead-letter list first: it is what this page is opened for
const STATUSES: OutboxStatus[] = ["dead", ...OUTBOX_STATUSES.filter((s) => s !== "dead")];
type Filter = OutboxStatus | "all";

const statusLabel: Record<OutboxStatus, string> = {
  dead: "Dead — gave up after every attempt",
  pending: "Pending — waiting to be sent",
  sending: "Sending — in flight",
  sent: "Sent",
  skipped: "Skipped — not sent on purpose",
};

const tone = (s: string) => (s === "sent" ? "ok" : s === "dead" ? "bad" : s === "skipped" ? "" : "warn");

export function OutboxPage() {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<Filter>("dead");
  const list = useQuery({
    ...trpc.outbox.list.queryOptions(filter === "all" ? {} : { status: filter }),
    placeholderData: keepPreviousData,
  });
  return (
    <div>
      <div className="page-head">
        <h1>Delivery</h1>
        <button type="button" onClick={() => void list.refetch()} disabled={list.isFetching} data-testid="outbox-refresh">
          {list.isFetching ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <p className="muted page-intro">
        Every e-mail to a lead, every notification to a sales rep and every webhook is a job in the outbox. A job that failed on every
        attempt is <strong>dead</strong>: nothing more happens to it until you retry it, which gives it a fresh set of
        attempts, due now. Retry once the cause is fixed (a template that was deleted, an SMTP server or a webhook receiver that was down).
        Newest first; the last 100 are shown.
      </p>
      <div className="filters">
        <label>
          Status
          <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)} data-testid="outbox-status">
            {STATUSES.map((s) => <option key={s} value={s}>{statusLabel[s]}</option>)}
            <option value="all">Any status</option>
          </select>
        </label>
      </div>
      <QueryView query={list}>
        {(jobs) => (
          <div style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
            <Jobs key={filter} jobs={jobs} filter={filter} />
          </div>
        )}
      </QueryView>
      <WebhookSecretSection />
    </div>
  );
}

function Jobs({ jobs, filter }: { jobs: Job[]; filter: Filter }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [retried, setRetried] = useState<string | null>(null);
  const retry = useMutation(
    trpc.outbox.retry.mutationOptions({
      onSuccess: async (job) => {
        setRetried(job.leadEmail ?? job.id);
        await queryClient.invalidateQueries({ queryKey: trpc.outbox.pathKey() });
      },
      onError: () => setRetried(null),
    }),
  );
  if (jobs.length === 0) {
    return (
      <>
        {retried && <Retried who={retried} />}
        <Empty>
          {filter === "dead" ? (
            <span data-testid="outbox-empty">Nothing failed. Every job was sent, is on its way, or was skipped on purpose.</span>
          ) : filter === "all" ? (
            <span data-testid="outbox-empty">No jobs yet. Jobs appear when a flow sends an e-mail or notifies a rep.</span>
          ) : (
            <span data-testid="outbox-empty">No {filter} jobs.</span>
          )}
        </Empty>
      </>
    );
  }
  const pendingId = retry.isPending ? retry.variables?.id : undefined;
  return (
    <>
      {retry.isError && (
        <p className="state error" role="alert" data-testid="retry-error">
          <strong>Not retried.</strong> {errorMessage(retry.error)}
        </p>
      )}
      {retry.isSuccess && retried && <Retried who={retried} />}
      <div className="table-wrap">
        <table data-testid="outbox-jobs">
          <thead>
            <tr>
              <th>Lead</th><th>What</th><th>Status</th><th className="num">Attempts</th><th>Last error</th><th>Time</th>
              <th><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <JobRow key={j.id} job={j} retry={() => retry.mutate({ id: j.id })} retrying={retry.isPending} thisRetrying={pendingId === j.id} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

const jobKind = (t: string) => (t === "notify" ? "Rep notification" : t === "email" ? "E-mail to lead" : t === "webhook" ? "Webhook" : t);

function JobRow({ job: j, retry, retrying, thisRetrying }: { job: Job; retry: () => void; retrying: boolean; thisRetrying: boolean }) {
  return (
    <tr data-testid="outbox-row">
      <td>
        {j.leadEmail ? <Link to={`/leads/${encodeURIComponent(j.leadId)}`}>{j.leadEmail}</Link> : <span className="muted">deleted lead</span>}
      </td>
      <td>
        {jobKind(j.jobType)}
        {j.templateId && <span className="mono"> · {j.templateId}</span>}
        <div className="small muted">
          <Link to={`/flows/${encodeURIComponent(j.flowId)}`}>{j.flowId}</Link> <span className="mono">{j.nodeId}</span>
        </div>
      </td>
      <td><span className={`badge ${tone(j.status)}`}>{j.status}</span></td>
      <td className="num">{j.attempts}</td>
      <td className="error small" style={{ maxWidth: "22rem", overflowWrap: "anywhere" }}>{j.lastError ?? <span className="muted">—</span>}</td>
      <td className="nowrap small">
        <div title="queued">{when(j.createdAt)}</div>
        {j.sentAt && j.status === "sent" ? (
          <div className="muted">sent {when(j.sentAt)}</div>
        ) : j.status === "pending" ? (
          <div className="muted">next try {when(j.nextAttemptAt)}</div>
        ) : null}
      </td>
      <td>
        {j.status === "dead" && (
          <button
            type="button"
            onClick={retry}
            disabled={retrying}
            aria-label={`Retry the ${j.jobType} job for ${j.leadEmail ?? "a deleted lead"}`}
            data-testid="outbox-retry"
          >
            {thisRetrying ? "Retrying…" : "Retry"}
          </button>
        )}
      </td>
    </tr>
  );
}

function Retried({ who }: { who: string }) {
  return <p className="ok-msg" role="status" data-testid="retry-ok">Retried: the job for {who} is due now.</p>;
}
