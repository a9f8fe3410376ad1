import { z } from "zod";
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "@leadflow/db";
import type { Rep } from "@leadflow/engine";
import { safeJson, safeString, type CompiledFlowSet } from "@leadflow/flow";
import { invalidInput } from "../errors.js";

export const RepInput = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i, "rep id: letters, digits, _ . -"),
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

export interface RepView {
  id: string;
  name: string;
  email: string;
  territories: string[];
  active: boolean;
  capacity: number | null;
  leads: number;
}

/**
 * Replaces the rep list. Reps left out are deactivated, not deleted: leads and deals keep
 * their owner. The order given is the round-robin order.
 */
export async function saveReps(db: Kysely<DB>, input: unknown): Promise<RepView[]> {
  const parsed = RepsInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "reps");
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("sales_reps").set({ active: false }).execute();
    for (const [sort, r] of parsed.data.reps.entries()) {
      const row = {
        id: r.id, name: r.name, email: r.email, territories: JSON.stringify(r.territories), active: r.active,
        capacity: r.capacity ?? null, sort,
      };
      await trx
        .insertInto("sales_reps")
        .values(row)
        .onConflict((oc) => oc.column("id").doUpdateSet({ ...row, id: undefined }))
        .execute();
    }
  });
  return listReps(db);
}

export async function listReps(db: Kysely<DB> | Transaction<DB>): Promise<RepView[]> {
  const rows = await db
    .selectFrom("sales_reps as r")
    .select(["r.id", "r.name", "r.email", "r.territories", "r.active", "r.capacity"])
    .select((eb) => eb.selectFrom("leads").select(sql<number>`count(*)::int`.as("n")).whereRef("leads.owner_id", "=", "r.id").as("leads"))
    .orderBy("r.sort")
    .orderBy("r.id")
    .execute();
  return rows.map((r) => ({ ...r, leads: Number(r.leads ?? 0) }));
}

/**
 * Reps as the engine sees them, in round-robin order. Their load (leads owned) is counted only
 * when something reads it: a sales.assign node choosing least_loaded or by territory, or a rep
 * with a capacity; otherwise it is 0 (round robin looks at load only against a capacity).
 */
export async function repsForEngine(db: Kysely<DB> | Transaction<DB>, flows?: CompiledFlowSet): Promise<Rep[]> {
  const rows = await db
    .selectFrom("sales_reps")
    .select(["id", "name", "email", "territories", "active", "capacity"])
    .orderBy("sort")
    .orderBy("id")
    .execute();
  const loadMatters =
    flows === undefined ||
    rows.some((r) => r.capacity !== null) ||
    [...flows.flows.values()].some((f) =>
      [...f.nodes.values()].some((n) => n.node.type === "sales.assign" && n.node.config.strategy !== "round_robin"),
    );
  const load = new Map<string, number>();
  if (loadMatters && rows.length > 0) {
    const counts = await db
      .selectFrom("leads")
      .select(["owner_id", sql<number>`count(*)::int`.as("n")])
      .where("owner_id", "in", rows.map((r) => r.id))
      .groupBy("owner_id")
      .execute();
    for (const c of counts) load.set(c.owner_id!, Number(c.n));
  }
  return rows.map((r) => ({ ...r, load: load.get(r.id) ?? 0 }));
}
