import { z } from "zod";
import { Condition } from "./condition.schema.js";
import { WebhookUrl } from "./webhook-url.schema.js";
import { safeString } from "./safe-input.js";
import { LeadStage } from "./vocabulary.js";

/** A score a node can read: `total`, `fit`, `engagement` or `category.<name>`. */
export const ScoreRef = z
  .string()
  .regex(/^(total|fit|engagement|category\.[\w.-]+)$/, "score must be total, fit, engagement or category.<name>");
export type ScoreRef = z.infer<typeof ScoreRef>;

/**
 * Bounds on numbers a node schedules or adds with: a wait of 1e300 days or points of 1e308 pass
 * z.number() but give an invalid date or an infinite score when an event runs the flow.
 */
const MAX_DAYS = 3650;
const Days = z.number().positive().max(MAX_DAYS, `at most ${MAX_DAYS} days (ten years)`);
const Points = z.number().min(-1_000_000, "at least -1,000,000").max(1_000_000, "at most 1,000,000");
const ScoreValue = z.number().min(-1e9, "at least -1,000,000,000").max(1e9, "at most 1,000,000,000");
/** A name inside a node's config (a category, a variant, a property): short, storable. */
const ConfigName = safeString(100);

export const TriggerEventConfig = z.object({
  eventType: ConfigName.min(1, "eventType is required"),
  where: z.array(Condition).default([]),
});
export const TriggerScoreConfig = z.object({
  crosses: ScoreValue,
  direction: z.enum(["up", "down"]),
  score: ScoreRef.default("total"),
});
export const TriggerInactiveConfig = z.object({ days: Days.int() });
export const TriggerSegmentConfig = z.object({
  where: z.array(Condition).min(1, "a segment needs at least one condition"),
  match: z.enum(["all", "any"]).default("all"),
  cron: ConfigName.regex(/^(\S+\s+){4}\S+$/, "cron must have five fields, e.g. 0 9 * * 1"),
});
export const ConditionConfig = z.object({
  where: z.array(Condition).min(1, "a condition needs at least one rule"),
  match: z.enum(["all", "any"]).default("all"),
});
export const ScoreAddConfig = z.object({
  points: Points.refine((n) => n !== 0, "points must not be 0"),
  category: ConfigName.regex(/^[\w.-]+$/, "category: letters, digits, _ . - only").optional(),
  expiresAfterDays: Days.optional(),
});
export const ScoreThresholdConfig = z.object({ atLeast: ScoreValue, score: ScoreRef.default("total") });
export const WaitConfig = z.union([
  z
    .object({
      days: z.number().nonnegative().optional(),
      hours: z.number().nonnegative().optional(),
      minutes: z.number().nonnegative().optional(),
    })
    .strict()
    .refine((w) => (w.days ?? 0) + (w.hours ?? 0) + (w.minutes ?? 0) > 0, "wait needs days, hours or minutes")
    .refine((w) => (w.days ?? 0) + (w.hours ?? 0) / 24 + (w.minutes ?? 0) / 1440 <= MAX_DAYS, `a wait is at most ${MAX_DAYS} days (ten years)`),
  z
    .object({
      until: z.object({
        /** 0 = Sunday … 6 = Saturday; empty or absent = any day */
        weekdays: z.array(z.number().int().min(0).max(6)).optional(),
        hour: z.number().int().min(0).max(23),
      }),
    })
    .strict(),
]);
export const SplitConfig = z.object({
  variants: z
    .array(z.object({ name: ConfigName.regex(/^[\w-]+$/, "variant name: letters, digits, _ - only"), weight: z.number().positive().max(1_000_000) }))
    .min(2, "a split needs at least two variants")
    .max(100, "a split has at most 100 variants")
    .refine((vs) => new Set(vs.map((v) => v.name)).size === vs.length, "variant names must differ"),
});
export const EmailSendConfig = z.object({ templateId: safeString(64).min(1, "templateId is required") });
export const SalesAssignConfig = z.object({
  strategy: z.enum(["round_robin", "least_loaded", "territory"]),
  /** rep ids to choose from; all active reps when absent */
  pool: z.array(safeString(64)).max(1000).optional(),
  /** lead property matched against reps' territories (strategy territory) */
  property: ConfigName.default("country"),
});
export const SalesNotifyConfig = z.object({
  to: z.union([z.literal("owner"), z.email("to must be owner or an e-mail address")]),
});
export const LeadUpdateConfig = z
  .object({
    stage: LeadStage.optional(),
    properties: z.record(ConfigName, z.union([safeString(2000), z.number(), z.boolean(), z.null()])).optional(),
  })
  .refine((u) => u.stage !== undefined || (u.properties && Object.keys(u.properties).length > 0), "set a stage or properties");
export const WebhookConfig = z.object({
  url: WebhookUrl,
  method: z.enum(["POST", "PUT"]).default("POST"),
});
/** exit ends its own branch only; the run's other branches go on (see the engine's `visit`). */
export const ExitConfig = z.object({}).passthrough();

/** Every node type with its config schema, group (for the palette) and output ports. */
export const nodeCatalogue = {
  "trigger.event": { group: "triggers", config: TriggerEventConfig, label: "Event" },
  "trigger.score": { group: "triggers", config: TriggerScoreConfig, label: "Score crosses" },
  "trigger.inactive": { group: "triggers", config: TriggerInactiveConfig, label: "Inactive" },
  "trigger.segment": { group: "triggers", config: TriggerSegmentConfig, label: "Segment" },
  condition: { group: "logic", config: ConditionConfig, label: "Condition" },
  wait: { group: "logic", config: WaitConfig, label: "Wait" },
  split: { group: "logic", config: SplitConfig, label: "A/B split" },
  exit: { group: "logic", config: ExitConfig, label: "Exit" },
  "score.add": { group: "scoring", config: ScoreAddConfig, label: "Add points" },
  "score.threshold": { group: "scoring", config: ScoreThresholdConfig, label: "Threshold" },
  "email.send": { group: "actions", config: EmailSendConfig, label: "Send e-mail" },
  "sales.assign": { group: "actions", config: SalesAssignConfig, label: "Assign to sales" },
  "sales.notify": { group: "actions", config: SalesNotifyConfig, label: "Notify sales" },
  "lead.update": { group: "actions", config: LeadUpdateConfig, label: "Update lead" },
  webhook: { group: "actions", config: WebhookConfig, label: "Webhook" },
} as const;

export type NodeType = keyof typeof nodeCatalogue;
export const NodeType = z.enum(Object.keys(nodeCatalogue) as [NodeType, ...NodeType[]]);
export type NodeConfig<T extends NodeType> = z.output<(typeof nodeCatalogue)[T]["config"]>;

export const isTriggerType = (t: string): boolean => t.startsWith("trigger.");

/**
 * Output ports of a node: `yes`/`no` for a condition, the variant names for a split,
 * none for exit, and the single default port `out` (edges without `port`) otherwise.
 */
export function outputPorts(type: NodeType, config: unknown): string[] {
  switch (type) {
    case "condition":
      return ["yes", "no"];
    case "split": {
      const parsed = SplitConfig.safeParse(config);
      return parsed.success ? parsed.data.variants.map((v) => v.name) : [];
    }
    case "exit":
      return [];
    default:
      return ["out"];
  }
}
