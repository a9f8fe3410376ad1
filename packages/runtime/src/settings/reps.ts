import { z } from "zod";
import type { Kysely } from "kysely";
import { countLeadsByOwner, deactivateReps, findReps, findRepsWithLeadCounts, upsertRep, type DB, type RepRow } from "@leadflow/db";
import type { Rep } from "@leadflow/engine";
import { RepId, safeJson, safeString, type CompiledFlowSet } from "@leadflow/flow";
import { invalidInput } from "../errors.js";

export const RepInput = z.object({
  id: RepId,
  name: safeString(200).min(1, "name is required"),
  email: z.email().max(320),
  territories: z.array(safeString(100).min(1)).max(500, "at most 500 territories").default([]),
  active: z.boolean().default(true),
  // the column is an integer: a capacity past 2^31 would fail the statement, not this check
  capacity: z.number().int().positive().max(1_000_000, "capacity: at most 1,000,000").nullish(),
});
export const RepsInput = safeJson().pipe(
  z.object({
    reps: z
      .array(RepInput)
      .max(1000, "at most 1000 reps")
      .refine((rs) => new Set(rs.map((r) => r.id)).size === rs.length, "rep ids must differ"),
  }),
);

/** A rep as the reps page lists it: with how many leads it owns. */
export type RepView = RepRow & { leads: number };

/**
 * Replaces the rep list. Reps left out are deactivated, not deleted: leads and deals keep
 * their owner. The order given is the round-robin order.
 */
export async function saveReps(db: Kysely<DB>, input: unknown): Promise<RepView[]> {
  const parsed = RepsInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "reps");
  await db.transaction().execute(async (trx) => {
    await deactivateReps(trx);
    for (const [sort, r] of parsed.data.reps.entries()) await upsertRep(trx, { ...r, capacity: r.capacity ?? null }, sort);
  });
  return listReps(db);
}

/** The reps in round-robin order, each with how many leads it owns. */
export const listReps = (db: Kysely<DB>): Promise<RepView[]> => findRepsWithLeadCounts(db);

/**
 * Reps as the engine sees them, in round-robin order. Their load (leads owned) is counted only
 * when something reads it: a sales.assign node choosing least_loaded or by territory, or a rep
 * with a capacity; otherwise it is 0 (round robin looks at load only against a capacity).
 */
export async function repsForEngine(db: Kysely<DB>, flows?: CompiledFlowSet): Promise<Rep[]> {
  const rows = await findReps(db);
  const loadMatters =
    flows === undefined ||
    rows.some((r) => r.capacity !== null) ||
    [...flows.flows.values()].some((f) =>
      [...f.nodes.values()].some((n) => n.node.type === "sales.assign" && n.node.config.strategy !== "round_robin"),
    );
  const load = loadMatters ? await countLeadsByOwner(db, rows.map((r) => r.id)) : new Map<string, number>();
  return rows.map((r) => ({ ...r, load: load.get(r.id) ?? 0 }));
}
