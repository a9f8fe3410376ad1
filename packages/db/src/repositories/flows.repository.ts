import { sql, type Kysely } from "kysely";
import type { DB } from "../tables.js";

/** Flows (a draft each, and the number of the version published last) and their immutable versions. */

export async function upsertFlowDraft(db: Kysely<DB>, flow: { id: string; name: string; draft: unknown }): Promise<void> {
  const draft = JSON.stringify(flow.draft);
  await db
    .insertInto("flows")
    .values({ id: flow.id, name: flow.name, draft })
    .onConflict((oc) => oc.column("id").doUpdateSet({ name: flow.name, draft, updated_at: sql`now()` }))
    .execute();
}

/** The flow row; `lock` takes it FOR UPDATE (publishing, so two publishes number their versions in turn). */
export async function findFlow(db: Kysely<DB>, id: string, options: { lock?: boolean } = {}) {
  const query = db.selectFrom("flows").selectAll().where("id", "=", id);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

/** Every flow without its draft, by name. */
export async function listFlowSummaries(db: Kysely<DB>) {
  return db.selectFrom("flows").select(["id", "name", "published_version", "updated_at"]).orderBy("name").execute();
}

/** The ids of the flows that have a published version, with that version. */
export async function listPublishedVersions(db: Kysely<DB>): Promise<{ id: string; version: number }[]> {
  const rows = await db.selectFrom("flows").select(["id", "published_version"]).where("published_version", "is not", null).execute();
  return rows.map((r) => ({ id: r.id, version: r.published_version! }));
}

/** Stores a published version and makes it the flow's current one. */
export async function insertPublishedVersion(db: Kysely<DB>, flowId: string, version: number, document: unknown): Promise<void> {
  await db.insertInto("flow_versions").values({ flow_id: flowId, version, document: JSON.stringify(document) }).execute();
  await db.updateTable("flows").set({ published_version: version, updated_at: sql`now()` }).where("id", "=", flowId).execute();
}

/** A version's document as published (undefined when there is no such version). */
export async function findFlowVersionDocument(db: Kysely<DB>, flowId: string, version: number): Promise<unknown> {
  const row = await db
    .selectFrom("flow_versions")
    .select("document")
    .where("flow_id", "=", flowId)
    .where("version", "=", version)
    .executeTakeFirst();
  return row?.document;
}

export async function flowVersionExists(db: Kysely<DB>, flowId: string, version: number): Promise<boolean> {
  const row = await db.selectFrom("flow_versions").select("version").where("flow_id", "=", flowId).where("version", "=", version).executeTakeFirst();
  return row !== undefined;
}

/** A flow's versions, newest first. */
export async function listVersionsOfFlow(db: Kysely<DB>, flowId: string) {
  return db.selectFrom("flow_versions").select(["version", "published_at"]).where("flow_id", "=", flowId).orderBy("version", "desc").execute();
}

/** The template ids that exist: what a flow's email.send nodes may name when it is validated. */
export async function listTemplateIds(db: Kysely<DB>): Promise<Set<string>> {
  const rows = await db.selectFrom("templates").select("id").execute();
  return new Set(rows.map((r) => r.id));
}
