import type { ReactNode } from "react";
import "./chart.css";

/**
 * The app's charts, hand-drawn and small on purpose (one line chart, one bar list) rather than a
 * charting library: the lead page's weekly trend, the dashboard's tiers and the lead's
 * interests. A new chart uses one of these; if charts ever need more than this, a library
 * replaces this file.
 */

export interface LineSeries {
  key: string;
  label: string;
  color: string;
  /** SVG dash pattern, e.g. "5 4" */
  dash?: string;
}

export interface LinePoint {
  /** the x-axis label */
  label: string;
  /** how a point's tooltip names it: "week of Jan 5" */
  title: string;
  /** one value per series key */
  values: Record<string, number>;
}

interface LineChartProps {
  series: readonly LineSeries[];
  /** at least two */
  points: readonly LinePoint[];
  /** what a screen reader hears for the whole chart */
  summary: string;
  /** the y axis' name */
  unit: string;
  /** data-testid of the svg is `${testId}-chart`, of each series' group `${testId}-${key}` */
  testId: string;
}

const W = 720, H = 240, L = 48, R = 16, T = 12, B = 34;

/** A round step for about `count` ticks over `span` (1, 2, 5 × 10^n). */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}

/** The y range rounded out to whole steps (0 always in it), and its tick values. */
export function yScale(values: number[]): { lo: number; hi: number; ticks: number[] } {
  let lo = Math.min(0, ...values);
  let hi = Math.max(...values);
  if (hi - lo < 1) hi = lo + 1;
  const step = niceStep(hi - lo, 4);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return { lo, hi, ticks };
}

export function LineChart({ series, points, summary, unit, testId }: LineChartProps) {
  const { lo, hi, ticks } = yScale(points.flatMap((p) => series.map((s) => p.values[s.key] ?? 0)));
  const x = (i: number) => L + (i * (W - L - R)) / (points.length - 1);
  const y = (v: number) => T + ((hi - v) * (H - T - B)) / (hi - lo);
  const labelEvery = Math.ceil(points.length / 8);
  const lastIndex = points.length - 1;
  return (
    <>
      <ul className="legend" aria-label="Legend">
        {series.map((s) => (
          <li key={s.key}>
            <svg width="22" height="10" aria-hidden="true">
              <line x1="0" y1="5" x2="22" y2="5" stroke={s.color} strokeWidth="2.5" strokeDasharray={s.dash} />
            </svg>
            {s.label}
          </li>
        ))}
      </ul>
      <svg className="line-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} data-testid={`${testId}-chart`}>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={L} x2={W - R} y1={y(v)} y2={y(v)} stroke={v === 0 ? "#adb5bd" : "#eef1f5"} />
            <text x={L - 6} y={y(v)} textAnchor="end" dominantBaseline="middle" className="axis">{v}</text>
          </g>
        ))}
        <text x={12} y={T + (H - T - B) / 2} transform={`rotate(-90 12 ${T + (H - T - B) / 2})`} textAnchor="middle" className="axis">{unit}</text>
        {points.map((p, i) =>
          i % labelEvery === 0 || i === lastIndex ? (
            <text key={i} x={x(i)} y={H - B + 16} textAnchor={i === 0 ? "start" : i === lastIndex ? "end" : "middle"} className="axis">
              {p.label}
            </text>
          ) : null,
        )}
        <line x1={L} x2={W - R} y1={H - B} y2={H - B} stroke="#adb5bd" />
        {series.map((s) => (
          <g key={s.key} data-testid={`${testId}-${s.key}`}>
            <polyline
              fill="none"
              stroke={s.color}
              strokeWidth="2.5"
              strokeDasharray={s.dash}
              strokeLinejoin="round"
              points={points.map((p, i) => `${x(i).toFixed(1)},${y(p.values[s.key] ?? 0).toFixed(1)}`).join(" ")}
            />
            {points.map((p, i) => (
              <circle key={i} cx={x(i)} cy={y(p.values[s.key] ?? 0)} r="3.5" fill="#fff" stroke={s.color} strokeWidth="2">
                <title>{`${s.label}, ${p.title}: ${p.values[s.key] ?? 0}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
    </>
  );
}

export interface Bar {
  key: string;
  /** the row's label cell (a name, a badge) */
  label: ReactNode;
  value: number;
  /** what a screen reader hears for the bar: "Hot: 12 leads" */
  description: string;
  /** extra class of the bar (tier-hot …) */
  className?: string;
  /** a colour for this bar only (a negative value in red) */
  color?: string;
}

/** Horizontal bars scaled to the largest absolute value. */
export function BarList({ bars, rowTestId }: { bars: readonly Bar[]; rowTestId?: string }) {
  const max = Math.max(1, ...bars.map((b) => Math.abs(b.value)));
  return (
    <div className="bars">
      {bars.map((b) => (
        <div className="bar-row" key={b.key} data-testid={rowTestId}>
          <span>{b.label}</span>
          <div className="track" role="img" aria-label={b.description}>
            <div className={b.className ? `bar ${b.className}` : "bar"} style={{ width: `${(Math.abs(b.value) / max) * 100}%`, background: b.color }} />
          </div>
          <span className="num">{b.value}</span>
        </div>
      ))}
    </div>
  );
}
