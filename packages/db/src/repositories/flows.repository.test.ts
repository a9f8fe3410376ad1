import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import {
  findFlow,
  findFlowVersionDocument,
  flowVersionExists,
  insertPublishedVersion,
  listFlowSummaries,
  listPublishedVersions,
  listTemplateIds,
  listVersionsOfFlow,
  upsertFlowDraft,
} from "./flows.repository.js";

describe.each(testDatabaseKinds)("flows repository on %s", (kind) => {
  it("saves a draft, replaces it on the next save and lists flows by name without drafts", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await upsertFlowDraft(db, { id: "welcome", name: "Welcome", draft: { v: 1 } });
      await upsertFlowDraft(db, { id: "alpha", name: "Alpha", draft: {} });
      await upsertFlowDraft(db, { id: "welcome", name: "Welcome 2", draft: { v: 2 } });
      expect(await findFlow(db, "welcome")).toMatchObject({ name: "Welcome 2", draft: { v: 2 }, published_version: null });
      expect(await findFlow(db, "missing")).toBeUndefined();
      const summaries = await listFlowSummaries(db);
      expect(summaries.map((f) => f.id)).toEqual(["alpha", "welcome"]);
      expect(Object.keys(summaries[0]!).sort()).toEqual(["id", "name", "published_version", "updated_at"]);
      // the lock is FOR UPDATE, so only inside a transaction
      expect(await db.transaction().execute((trx) => findFlow(trx, "alpha", { lock: true }))).toMatchObject({ id: "alpha" });
    } finally {
      await close();
    }
  });

  it("publishes versions: the flow's current one moves, every version stays readable", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await upsertFlowDraft(db, { id: "f", name: "F", draft: {} });
      await upsertFlowDraft(db, { id: "draft-only", name: "D", draft: {} });
      expect(await listPublishedVersions(db)).toEqual([]);
      await insertPublishedVersion(db, "f", 1, { doc: 1 });
      await insertPublishedVersion(db, "f", 2, { doc: 2 });
      expect(await listPublishedVersions(db)).toEqual([{ id: "f", version: 2 }]);
      expect(await findFlowVersionDocument(db, "f", 1)).toEqual({ doc: 1 });
      expect(await findFlowVersionDocument(db, "f", 3)).toBeUndefined();
      expect([await flowVersionExists(db, "f", 2), await flowVersionExists(db, "f", 9), await flowVersionExists(db, "g", 1)]).toEqual([true, false, false]);
      expect((await listVersionsOfFlow(db, "f")).map((v) => v.version)).toEqual([2, 1]);
      expect(await listVersionsOfFlow(db, "draft-only")).toEqual([]);
    } finally {
      await close();
    }
  });

  it("lists the template ids a flow may name", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      const before = await listTemplateIds(db);
      await db.insertInto("templates").values([{ id: "zz-one", subject: "s", html: "h" }, { id: "zz-two", subject: "s", html: "h" }]).execute();
      expect(await listTemplateIds(db)).toEqual(new Set([...before, "zz-one", "zz-two"]));
    } finally {
      await close();
    }
  });
});
