import { z } from "zod";
import { parseBehaviourField } from "./behaviour.js";
import { Condition, ConditionOp } from "./condition.schema.js";
import { safeString } from "./safe-input.js";

/**
 * The scoring model, declared once: the engine scores with it, the runtime stores it (as the
 * `scoring_model` setting), the API takes it and the web edits it. Its types are inferred from
 * these schemas; the engine re-exports them from its types.ts.
 */

const scalar = z.union([safeString(1000), z.number(), z.boolean()]);
const Points = z.number().min(-1_000_000, "at least -1,000,000").max(1_000_000, "at most 1,000,000");

/** A fit rule's field may name a lead property bare (`country`) or in full (`lead.country`). */
export const FitRule = z
  .object({
    field: safeString(200).min(1, "field is required"),
    op: ConditionOp,
    value: z.union([scalar, z.array(scalar).max(1000, "at most 1000 values")]).optional(),
    /** a behaviour count's event filter, checked by Condition below */
    where: z.array(z.unknown()).max(10, "a count takes at most 10 conditions").optional(),
    points: Points,
  })
  .transform((r) => ({ ...r, field: /^(lead|score|event)\.|^tier$/.test(r.field) || parseBehaviourField(r.field) ? r.field : `lead.${r.field}` }))
  .pipe(z.object({ points: z.number() }).and(Condition));
export type FitRule = z.output<typeof FitRule>;

/** A tier: leads whose total is at least `min` (and below the next tier's) are in it. */
export const Tier = z.object({ name: safeString(40).min(1, "name is required"), min: z.number().min(-1e9).max(1e9) });
export type Tier = z.output<typeof Tier>;

/** Cold < 30 <= Warm < 70 <= Hot: the tiers of a model that names none. */
export const DEFAULT_TIERS: readonly Tier[] = [
  { name: "Cold", min: 0 },
  { name: "Warm", min: 30 },
  { name: "Hot", min: 70 },
];

/** A decay policy: none, a half-life, or points that expire, in days (at most a hundred years). */
export const DecayPolicy = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }),
  z.object({ kind: z.literal("halfLife"), days: z.number().positive().max(36_500, "at most 36500 days") }),
  z.object({ kind: z.literal("expire"), days: z.number().positive().max(36_500, "at most 36500 days") }),
]);
export type DecayPolicy = z.output<typeof DecayPolicy>;

/** The model; every part has a default, so `{}` is the default model. */
export const ScoringModel = z.object({
  fitRules: z.array(FitRule).max(500, "at most 500 fit rules").default([]),
  /** any order; a lead's tier is the one with the highest min <= total, else the lowest */
  tiers: z
    .array(Tier)
    .min(1, "at least one tier")
    .max(20, "at most 20 tiers")
    .refine((ts) => new Set(ts.map((t) => t.name.toLowerCase())).size === ts.length, "tier names must differ")
    .default(() => DEFAULT_TIERS.map((t) => ({ ...t }))),
  decay: DecayPolicy.default({ kind: "none" }),
  categoryCaps: z.record(safeString(100), z.number().positive().max(1e9)).default({}),
});
export type ScoringModel = z.output<typeof ScoringModel>;
