import { sql, type Kysely, type Selectable } from "kysely";
import type { DB, SalesRepTable } from "../tables.js";

/** A sales rep as stored (its place in the round-robin order, `sort`, aside). */
export type RepRow = Omit<Selectable<SalesRepTable>, "sort">;

/** Marks every rep inactive (a rep list being replaced re-activates those it keeps). */
export async function deactivateReps(db: Kysely<DB>): Promise<void> {
  await db.updateTable("sales_reps").set({ active: false }).execute();
}

/** Inserts the rep or overwrites the one with its id, at place `sort` of the round-robin order. */
export async function upsertRep(db: Kysely<DB>, rep: RepRow, sort: number): Promise<void> {
  const row = { ...rep, territories: JSON.stringify(rep.territories), sort };
  await db
    .insertInto("sales_reps")
    .values(row)
    .onConflict((oc) => oc.column("id").doUpdateSet({ ...row, id: undefined }))
    .execute();
}

/** Every rep, inactive ones too, in round-robin order. */
export async function findReps(db: Kysely<DB>): Promise<RepRow[]> {
  return db
    .selectFrom("sales_reps")
    .select(["id", "name", "email", "territories", "active", "capacity"])
    .orderBy("sort")
    .orderBy("id")
    .execute();
}

/** Every rep in round-robin order, with how many leads each owns. */
export async function findRepsWithLeadCounts(db: Kysely<DB>): Promise<(RepRow & { leads: number })[]> {
  const rows = await db
    .selectFrom("sales_reps as r")
    .select(["r.id", "r.name", "r.email", "r.territories", "r.active", "r.capacity"])
    .select((eb) => eb.selectFrom("leads").select(sql<number>`count(*)::int`.as("n")).whereRef("leads.owner_id", "=", "r.id").as("leads"))
    .orderBy("r.sort")
    .orderBy("r.id")
    .execute();
  return rows.map((r) => ({ ...r, leads: Number(r.leads ?? 0) }));
}

/** How many leads each of these reps owns; a rep owning none is absent. */
export async function countLeadsByOwner(db: Kysely<DB>, repIds: readonly string[]): Promise<Map<string, number>> {
  const load = new Map<string, number>();
  if (repIds.length === 0) return load;
  const counts = await db
    .selectFrom("leads")
    .select(["owner_id", sql<number>`count(*)::int`.as("n")])
    .where("owner_id", "in", [...repIds])
    .groupBy("owner_id")
    .execute();
  for (const c of counts) load.set(c.owner_id!, Number(c.n));
  return load;
}

/** The sales rep a user is (same e-mail, any case), for a sales user's own-leads view. */
export async function findRepIdByEmail(db: Kysely<DB>, email: string): Promise<string | undefined> {
  const rep = await db.selectFrom("sales_reps").select("id").where(sql`lower(email)`, "=", email.toLowerCase()).executeTakeFirst();
  return rep?.id;
}
