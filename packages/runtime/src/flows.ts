import {
  findFlow,
  findFlowVersionDocument,
  insertPublishedVersion,
  listFlowSummaries,
  listPublishedVersions,
  listTemplateIds,
  upsertFlowDraft,
  type DB,
  type Kysely,
} from "@leadflow/db";
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

/** Saves a draft. A draft may have issues (the editor saves work in progress); its shape must hold. */
export async function saveFlowDraft(db: Kysely<DB>, id: string, input: unknown): Promise<FlowRecord> {
  checkedId(id);
  const shape = FlowDocumentShape.safeParse(input);
  if (!shape.success) throw invalidInput(shape.error.issues, "flow document");
  if (shape.data.id !== id) throw new AppError("invalid_input", `the document's id "${shape.data.id}" differs from the URL's "${id}"`);
  await upsertFlowDraft(db, { id, name: shape.data.name, draft: shape.data });
  return getFlow(db, id);
}

export async function getFlow(db: Kysely<DB>, id: string): Promise<FlowRecord> {
  checkedId(id);
  const row = await findFlow(db, id);
  if (!row) throw notFound(`flow ${id}`);
  const result = validate(row.draft, { templateIds: await listTemplateIds(db) });
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
  const rows = await listFlowSummaries(db);
  return rows.map((r) => ({ id: r.id, name: r.name, publishedVersion: r.published_version, updatedAt: new Date(r.updated_at).toISOString() }));
}

/**
 * Publishes the current draft as a new immutable version.
 * Throws `flow_invalid` with every issue (per node id) when the draft cannot be compiled.
 */
export async function publishFlow(db: Kysely<DB>, id: string): Promise<{ id: string; version: number }> {
  checkedId(id);
  return db.transaction().execute(async (trx) => {
    const row = await findFlow(trx, id, { lock: true });
    if (!row) throw notFound(`flow ${id}`);
    const result = validate(row.draft, { templateIds: await listTemplateIds(trx) });
    if (!result.ok) {
      throw new AppError("flow_invalid", `flow ${id} has ${result.issues.length} issue(s)`, { issues: result.issues });
    }
    const version = (row.published_version ?? 0) + 1;
    await insertPublishedVersion(trx, id, version, result.value);
    return { id, version };
  });
}

export async function getFlowVersion(db: Kysely<DB>, id: string, version: number): Promise<FlowDocument> {
  checkedId(id);
  const document = await findFlowVersionDocument(db, id, version);
  if (document === undefined) throw notFound(`flow ${id} version ${version}`);
  return document as FlowDocument;
}

/**
 * Compiled published flows, recompiled only when a flow's published version changes.
 * One per process, in `RuntimeDeps.flows` (never a module-level one: two caches would compile
 * every flow twice); the database is the truth (one cheap query per use, via the flows repository).
 */
export class FlowCache {
  private compiled = new Map<string, CompiledFlow>();
  private set: CompiledFlowSet = compileFlowSet([]);
  private versions = new Map<string, CompiledFlow>();

  async current(db: Kysely<DB>): Promise<CompiledFlowSet> {
    const published = await listPublishedVersions(db);
    let changed = published.length !== this.compiled.size;
    const next = new Map<string, CompiledFlow>();
    for (const r of published) {
      const have = this.compiled.get(r.id);
      if (have && have.version === r.version) {
        next.set(r.id, have);
        continue;
      }
      changed = true;
      next.set(r.id, await this.version(db, r.id, r.version));
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
