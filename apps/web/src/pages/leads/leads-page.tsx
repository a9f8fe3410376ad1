import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../trpc.js";
import { Empty, NOT_LINKED_TO_REP, QueryView } from "../../ui/states.js";
import { byTierOrder } from "../../ui/format.js";
import { LeadFilters } from "./lead-filters.js";
import { LeadsTable } from "./leads-table.js";
import { useLeadParams } from "./use-lead-params.js";
import "../pages.css";

const PAGE_SIZE = 25;

export function LeadsPage() {
  const trpc = useTRPC();
  const params = useLeadParams();
  const { search, tier, owner, stage, sort, page, filtered, setParams } = params;

  const me = useQuery(trpc.auth.me.queryOptions());
  const isSales = me.data?.user?.role === "sales";
  const reps = useQuery(trpc.reps.list.queryOptions());
  const stats = useQuery(trpc.leads.dashboard.queryOptions());
  const tierNames = [...new Set([...(stats.data?.byTier.map((t) => t.tier) ?? []), ...(tier ? [tier] : [])])].sort(byTierOrder);

  const list = useQuery({
    ...trpc.leads.list.queryOptions({
      search: search || undefined,
      tier: tier || undefined,
      owner: owner || undefined,
      stage: stage || undefined,
      sort,
      page,
      pageSize: PAGE_SIZE,
    }),
    placeholderData: keepPreviousData,
  });
  const nothing = filtered
    ? "No lead matches these filters. Try another search or clear the filters."
    : isSales
      ? me.data?.user?.repId === null
        ? NOT_LINKED_TO_REP
        : "No leads are assigned to you yet. Hot leads are handed to you automatically."
      : "No leads yet. Leads appear when the website sends events or when a CSV is imported.";

  return (
    <div>
      <h1>Leads</h1>
      <p className="muted page-intro">
        {isSales
          ? "The leads assigned to you. Open one to see why it scored as it did and what it has done."
          : "Everyone Leadflow knows about, with their scores. Fit is who they are; engagement is what they did; total = fit + engagement decides the tier."}
      </p>
      <LeadFilters params={params} tierNames={tierNames} reps={isSales ? null : (reps.data ?? [])} />
      <QueryView query={list}>
        {(data) =>
          data.rows.length === 0 && data.total > 0 ? (
            <Empty>
              There is no page {data.page}. <button type="button" className="link" onClick={() => setParams({ page: "1" })}>Go to the first page</button>
            </Empty>
          ) : data.rows.length === 0 ? (
            <Empty>{nothing}</Empty>
          ) : (
            <LeadsTable data={data} faded={list.isPlaceholderData} goTo={(n) => setParams({ page: String(n) })} />
          )
        }
      </QueryView>
    </div>
  );
}
