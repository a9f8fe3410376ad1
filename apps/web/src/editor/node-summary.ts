import { nodeCatalogue, type NodeType } from "@leadflow/flow";

const str = (v: unknown) => (v === undefined || v === null || v === "" ? "?" : Array.isArray(v) ? v.join(", ") : String(v));

function where(config: Record<string, unknown>): string {
  const rules = Array.isArray(config.where) ? (config.where as { field?: string; op?: string; value?: unknown }[]) : [];
  return rules.map((r) => `${str(r.field)} ${str(r.op)} ${r.value === undefined ? "" : str(r.value)}`.trim()).join(config.match === "any" ? " or " : " and ");
}

/** One line describing a node's config, for the canvas. */
export function nodeSummary(type: string, config: Record<string, unknown>): string {
  switch (type as NodeType) {
    case "trigger.event": {
      const w = where(config);
      return `on ${str(config.eventType)}${w ? ` where ${w}` : ""}`;
    }
    case "trigger.score":
      return `${str(config.score ?? "total")} crosses ${str(config.crosses)} ${str(config.direction)}`;
    case "trigger.inactive":
      return `no engagement for ${str(config.days)} days`;
    case "trigger.segment":
      return `${where(config) || "?"} · cron ${str(config.cron)}`;
    case "condition":
      return where(config) || "?";
    case "wait": {
      const until = config.until as { weekdays?: number[]; hour?: number } | undefined;
      if (until) return `until ${until.weekdays?.length ? until.weekdays.map((d) => "SuMoTuWeThFrSa".slice(d * 2, d * 2 + 2)).join(",") + " " : ""}${str(until.hour)}:00`;
      const parts = (["days", "hours", "minutes"] as const).filter((k) => config[k]).map((k) => `${config[k]} ${k}`);
      return parts.join(" ") || "?";
    }
    case "split":
      return Array.isArray(config.variants) ? (config.variants as { name: string; weight: number }[]).map((v) => `${v.name} ${v.weight}`).join(" / ") : "?";
    case "score.add": {
      const p = Number(config.points);
      return `${Number.isFinite(p) && p > 0 ? "+" : ""}${str(config.points)} points${config.category ? ` (${config.category})` : ""}`;
    }
    case "score.threshold":
      return `${str(config.score ?? "total")} ≥ ${str(config.atLeast)}`;
    case "email.send":
      return `template ${str(config.templateId)}`;
    case "sales.assign":
      return str(config.strategy).replace("_", " ");
    case "sales.notify":
      return `to ${str(config.to)}`;
    case "lead.update":
      return [config.stage ? `stage ${config.stage}` : "", config.properties ? Object.keys(config.properties).join(", ") : ""].filter(Boolean).join(" · ") || "?";
    case "webhook":
      return `${str(config.method ?? "POST")} ${str(config.url)}`;
    case "exit":
      return "end of this branch";
    default:
      return "";
  }
}

export const typeLabel = (type: string) => (nodeCatalogue as Record<string, { label: string }>)[type]?.label ?? type;
export const typeGroup = (type: string) => (nodeCatalogue as Record<string, { group: string }>)[type]?.group ?? "unknown";
