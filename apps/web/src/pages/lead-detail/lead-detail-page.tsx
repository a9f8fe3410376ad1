import { useQuery } from "@tanstack/react-query";
import { useTRPC, type Outputs } from "../../trpc.js";
import { Link } from "../../router.js";
import { Empty, QueryView } from "../../ui/states.js";
import { ago, stageLabel, when } from "../../ui/format.js";
import { TierBadge } from "../../ui/tier-badge.js";
import { ActivityTabs } from "./activity-tabs.js";
import { Categories, Properties, ScoreCard, StatusBadge } from "./lead-panels.js";
import { TrendChart } from "./trend-chart.js";
import { WhyThisScore } from "./why-this-score.js";
import "../pages.css";

type Detail = Outputs["leads"]["get"];
type Lead = Detail["lead"];
type Activity = Detail["activity"];

export function LeadDetailPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.leads.get.queryOptions({ id }), retry: (n, err) => n < 1 && !["FORBIDDEN", "NOT_FOUND"].includes(err.data?.code ?? "") });
  const code = q.error?.data?.code;
  return (
    <div>
      <p className="small"><Link to="/leads">← All leads</Link></p>
      {code === "FORBIDDEN" ? (
        <div className="state error" role="alert" data-testid="lead-forbidden">
          <strong>This lead belongs to another sales rep.</strong> You can open only the leads assigned to you.{" "}
          <Link to="/leads">See your leads</Link>
        </div>
      ) : code === "NOT_FOUND" ? (
        <Empty>There is no lead “{id}”. It may have been merged or the link is wrong. <Link to="/leads">Search the leads</Link></Empty>
      ) : (
        <QueryView query={q}>{(d) => <LeadView lead={d.lead} activity={d.activity} />}</QueryView>
      )}
    </div>
  );
}

function LeadView({ lead, activity }: { lead: Lead; activity: Activity }) {
  const p = lead.properties;
  const str = (k: string) => (typeof p[k] === "string" || typeof p[k] === "number" ? String(p[k]) : "");
  const name = [str("firstName"), str("lastName")].filter(Boolean).join(" ");
  return (
    <>
      <header className="lead-head">
        <div>
          <h1 data-testid="lead-name">{name || lead.email}</h1>
          <div>
            <a href={`mailto:${lead.email}`} data-testid="lead-email">{lead.email}</a>
            {str("jobTitle") && <span className="muted"> · {str("jobTitle")}</span>}
            {str("company") && <span className="muted"> · {str("company")}</span>}
          </div>
        </div>
      </header>
      <div className="facts">
        <div><span>Stage</span><span data-testid="lead-stage">{stageLabel(lead.stage)}</span></div>
        <div><span>Status</span><StatusBadge status={lead.status} /></div>
        <div>
          <span>Owner (sales rep)</span>
          <span data-testid="lead-owner">{lead.owner ? lead.owner.name : "Unassigned"}</span>
          {lead.owner && <span className="muted small"> · <a href={`mailto:${lead.owner.email}`}>{lead.owner.email}</a></span>}
        </div>
        <div><span>Last activity</span><span title={when(lead.lastActivityAt)}>{ago(lead.lastActivityAt)}</span></div>
        <div><span>Known since</span><span>{when(lead.createdAt)}</span></div>
      </div>

      <section className="cards" aria-label="Scores">
        <ScoreCard label="Fit" hint="who they are: the fit rules below" value={lead.scores.fit} testId="lead-fit" />
        <ScoreCard label="Engagement" hint="what they did: flow points, after decay" value={lead.scores.engagement} testId="lead-engagement" />
        <ScoreCard label="Total" hint="fit + engagement" value={lead.scores.total} testId="lead-total" />
        <div className="card stat">
          <div className="label">Tier</div>
          <div className="value"><TierBadge tier={lead.tier} testId="lead-tier" /></div>
          <div className="hint">the band the total falls in</div>
        </div>
      </section>

      <TrendChart trend={lead.trend} />

      <div className="grid-2 section">
        <Categories categories={lead.scores.categories} />
        <Properties properties={lead.properties} />
      </div>

      <WhyThisScore lead={lead} events={activity.events} />
      <ActivityTabs activity={activity} />
    </>
  );
}

