import { z } from "zod";
import { sql, type Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import { Condition, ConditionOp, parseBehaviourField, safeJson, safeString } from "@leadflow/flow";
import { defaultScoringModel, type ScoringModel } from "@leadflow/engine";
import { invalidInput } from "../errors.js";

const scalar = z.union([safeString(1000), z.number(), z.boolean()]);
const Points = z.number().min(-1_000_000, "at least -1,000,000").max(1_000_000, "at most 1,000,000");

/** A fit rule's field may name a lead property bare (`country`) or in full (`lead.country`). */
const FitRule = z
  .object({
    field: safeString(200).min(1, "field is required"),
    op: ConditionOp,
    value: z.union([scalar, z.array(scalar).max(1000, "at most 1000 values")]).optional(),
    /** a behaviour count's event filter, checked by Condition below */
    where: z.array(z.unknown()).max(10, "a count takes at most 10 conditions").optional(),
    points: Points,
  })
  .transform((r) => ({ ...r, field: /^(lead|score|event)\.|^tier$/.test(r.field) || parseBehaviourField(r.field) ? r.field : `lead.${r.field}` }))
  .pipe(
    z.object({ points: z.number() }).and(Condition),
  );

/** A decay policy: none, a half-life, or points that expire, in days (at most a hundred years). */
export const DecayPolicyInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }),
  z.object({ kind: z.literal("halfLife"), days: z.number().positive().max(36_500, "at most 36500 days") }),
  z.object({ kind: z.literal("expire"), days: z.number().positive().max(36_500, "at most 36500 days") }),
]);

/** The model as PUT /api/v1/scoring-model takes it: storable JSON first (see safe-input.ts), then its shape. */
export const ScoringModelInput = safeJson().pipe(z.object({
  fitRules: z.array(FitRule).max(500, "at most 500 fit rules").default([]),
  tiers: z
    .array(z.object({ name: safeString(40).min(1, "name is required"), min: z.number().min(-1e9).max(1e9) }))
    .min(1, "at least one tier")
    .max(20, "at most 20 tiers")
    .refine((ts) => new Set(ts.map((t) => t.name.toLowerCase())).size === ts.length, "tier names must differ")
    .default(defaultScoringModel.tiers),
  decay: DecayPolicyInput.default({ kind: "none" }),
  categoryCaps: z.record(safeString(100), z.number().positive().max(1e9)).default({}),
}));

export const SCORING_MODEL_KEY = "scoring_model";
const KEY = SCORING_MODEL_KEY;

/** The model stored as the `scoring_model` setting's value (validated when saved), or the default. */
export function scoringModelFrom(value: unknown): ScoringModel {
  return value ? (value as ScoringModel) : defaultScoringModel;
}

export async function loadScoringModel(db: Kysely<DB>): Promise<ScoringModel> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", KEY).executeTakeFirst();
  return scoringModelFrom(row?.value);
}

/** Validates and stores the model; the caller rescoring leads is `rescoreAllLeads`. */
export async function saveScoringModel(db: Kysely<DB>, input: unknown): Promise<ScoringModel> {
  const parsed = ScoringModelInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "scoring model");
  const model = parsed.data as ScoringModel;
  const value = JSON.stringify(model);
  await db
    .insertInto("settings")
    .values({ key: KEY, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: sql`now()` }))
    .execute();
  return model;
}
