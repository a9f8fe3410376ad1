import type { Outputs } from "../../trpc.js";
import { LineChart, type LineSeries } from "../../ui/chart.js";
import { Empty } from "../../ui/states.js";

type Trend = Outputs["leads"]["get"]["lead"]["trend"];

const series: readonly LineSeries[] = [
  { key: "total", label: "Total", color: "#3b5bdb" },
  { key: "fit", label: "Fit", color: "#2b8a3e", dash: "5 4" },
  { key: "engagement", label: "Engagement", color: "#e8590c" },
];

const weekLabel = (iso: string) => {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
};

/** The lead's weekly score snapshots as a line chart (total, fit, engagement). */
export function TrendChart({ trend }: { trend: Trend }) {
  return (
    <section className="card section" aria-labelledby="trend-title" data-testid="trend">
      <h2 id="trend-title" style={{ marginTop: 0 }}>Weekly trend</h2>
      {trend.length < 2 ? (
        <Empty>
          <span data-testid="trend-empty">
            Not enough history for a trend yet: scores are snapshotted once a week (Monday 00:00 UTC) and the chart needs two
            weeks. {trend.length === 1 ? "One snapshot so far." : "No snapshot so far."}
          </span>
        </Empty>
      ) : (
        <>
          <LineChart
            series={series}
            points={trend.map((p) => ({ label: weekLabel(p.week), title: `week of ${weekLabel(p.week)}`, values: { total: p.total, fit: p.fit, engagement: p.engagement } }))}
            summary={summaryOf(trend)}
            unit="points"
            testId="trend"
          />
          <p className="muted small" style={{ margin: "0.3rem 0 0" }}>Week starting (Monday, UTC); one snapshot a week.</p>
        </>
      )}
    </section>
  );
}

function summaryOf(trend: Trend): string {
  const first = trend[0]!;
  const last = trend[trend.length - 1]!;
  return (
    `Weekly scores from ${weekLabel(first.week)} to ${weekLabel(last.week)}: ` +
    `total ${first.total} → ${last.total}, fit ${first.fit} → ${last.fit}, engagement ${first.engagement} → ${last.engagement}.`
  );
}
