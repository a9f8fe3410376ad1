import { sql, type Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import {
  FlowDocumentShape,
  FlowId,
  compile,
  compileFlowSet,
  validate,
  type CompiledFlow,
  type CompiledFlowSet,
  type FlowDocument,
  type FlowIssue,
} from "@leadflow/flow";
import { AppError, invalidInput, notFound } from "./errors.js";

export interface FlowRecord {
  id: string;
  name: string;
  draft: unknown;
  publishedVersion: number | null;
  /** problems of the draft as it stands (empty when it could be published) */
  issues: FlowIssue[];
  updatedAt: string;
}

/** A flow id from a URL or a caller, checked before it reaches a query. */
function checkedId(id: string): string {
  const parsed = FlowId.safeParse(id);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "flow id");
  return parsed.data;
}

async function templateIds(db: Kysely<DB>): Promise<Set<string>> {
  const rows = await db.selectFrom("templates").select("id").execute();
  return new Set(rows.map((r) => r.id));
}

/** Saves a draft. A draft may have issues (the editor saves work in progress); its shape must hold. */
export async function saveFlowDraft(db: Kysely<DB>, id: string, input: unknown): Promise<FlowRecord> {
  checkedId(id);
  const shape = FlowDocumentShape.safeParse(input);
  if (!shape.success) throw invalidInput(shape.error.issues, "flow document");
  if (shape.data.id !== id) throw new AppError("invalid_input", `the document's id "${shape.data.id}" differs from the URL's "${id}"`);
  const draft = JSON.stringify(shape.data);
  await db
    .insertInto("flows")
    .values({ id, name: shape.data.name, draft })
    .onConflict((oc) => oc.column("id").doUpdateSet({ name: shape.data.name, draft, updated_at: sql`now()` }))
    .execute();
  return getFlow(db, id);
}

export async function getFlow(db: Kysely<DB>, id: string): Promise<FlowRecord> {
  checkedId(id);
  const row = await db.selectFrom("flows").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound(`flow ${id}`);
  const result = validate(row.draft, { templateIds: await templateIds(db) });
  return {
    id: row.id,
    name: row.name,
    draft: row.draft,
    publishedVersion: row.published_version,
    issues: result.ok ? [] : result.issues,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function listFlows(db: Kysely<DB>) {
  const rows = await db.selectFrom("flows").select(["id", "name", "published_version", "updated_at"]).orderBy("name").execute();
  return rows.map((r) => ({ id: r.id, name: r.name, publishedVersion: r.published_version, updatedAt: new Date(r.updated_at).toISOString() }));
}

/**
 * Publishes the current draft as a new immutable version.
 * Throws `flow_invalid` with every issue (per node id) when the draft cannot be compiled.
 */
export async function publishFlow(db: Kysely<DB>, id: string): Promise<{ id: string; version: number }> {
  checkedId(id);
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("flows").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!row) throw notFound(`flow ${id}`);
    const ids = new Set((await trx.selectFrom("templates").select("id").execute()).map((r) => r.id));
    const result = validate(row.draft, { templateIds: ids });
    if (!result.ok) {
      throw new AppError("flow_invalid", `flow ${id} has ${result.issues.length} issue(s)`, { issues: result.issues });
    }
    const version = (row.published_version ?? 0) + 1;
    await trx
      .insertInto("flow_versions")
      .values({ flow_id: id, version, document: JSON.stringify(result.value) })
      .execute();
    await trx.updateTable("flows").set({ published_version: version, updated_at: sql`now()` }).where("id", "=", id).execute();
    return { id, version };
  });
}

export async function getFlowVersion(db: Kysely<DB>, id: string, version: number): Promise<FlowDocument> {
  checkedId(id);
  const row = await db
    .selectFrom("flow_versions")
    .select("document")
    .where("flow_id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  if (!row) throw notFound(`flow ${id} version ${version}`);
  return row.document as FlowDocument;
}

/**
 * Compiled published flows, recompiled only when a flow's published version changes.
 * Each process keeps its own; the database is the truth (one cheap query per use).
 */
export class FlowCache {
  private compiled = new Map<string, CompiledFlow>();
  private set: CompiledFlowSet = compileFlowSet([]);
  private versions = new Map<string, CompiledFlow>();

  async current(db: Kysely<DB>): Promise<CompiledFlowSet> {
    const rows = await db
      .selectFrom("flows")
      .select(["id", "published_version"])
      .where("published_version", "is not", null)
      .execute();
    let changed = rows.length !== this.compiled.size;
    const next = new Map<string, CompiledFlow>();
    for (const r of rows) {
      const have = this.compiled.get(r.id);
      if (have && have.version === r.published_version) {
        next.set(r.id, have);
        continue;
      }
      changed = true;
      next.set(r.id, await this.version(db, r.id, r.published_version!));
    }
    if (changed) {
      this.compiled = next;
      this.set = compileFlowSet([...next.values()]);
    }
    return this.set;
  }

  /** A specific published version (runs paused on an older version continue on it). */
  async version(db: Kysely<DB>, id: string, version: number): Promise<CompiledFlow> {
    const key = `${id}@${version}`;
    const have = this.versions.get(key);
    if (have) return have;
    const flow = compile(await getFlowVersion(db, id, version), version);
    this.versions.set(key, flow);
    return flow;
  }
}
