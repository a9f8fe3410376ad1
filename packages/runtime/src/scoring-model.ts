import { z } from "zod";
import { sql, type Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import { Condition, ConditionOp } from "@leadflow/flow";
import { defaultScoringModel, type ScoringModel } from "@leadflow/engine";
import { invalidInput } from "./errors.js";

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A fit rule's field may name a lead property bare (`country`) or in full (`lead.country`). */
const FitRule = z
  .object({
    field: z.string().min(1),
    op: ConditionOp,
    value: z.union([scalar, z.array(scalar)]).optional(),
    points: z.number(),
  })
  .transform((r) => ({ ...r, field: /^(lead|score|event)\.|^tier$/.test(r.field) ? r.field : `lead.${r.field}` }))
  .pipe(
    z.object({ points: z.number() }).and(Condition),
  );

export const ScoringModelInput = z.object({
  fitRules: z.array(FitRule).default([]),
  tiers: z
    .array(z.object({ name: z.string().min(1).max(40), min: z.number() }))
    .min(1, "at least one tier")
    .refine((ts) => new Set(ts.map((t) => t.name.toLowerCase())).size === ts.length, "tier names must differ")
    .default(defaultScoringModel.tiers),
  decay: z
    .discriminatedUnion("kind", [
      z.object({ kind: z.literal("none") }),
      z.object({ kind: z.literal("halfLife"), days: z.number().positive() }),
      z.object({ kind: z.literal("expire"), days: z.number().positive() }),
    ])
    .default({ kind: "none" }),
  categoryCaps: z.record(z.string(), z.number().positive()).default({}),
});

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
