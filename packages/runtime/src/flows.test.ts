import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "@leadflow/db/testing";
import { FlowCache, getFlow, getFlowVersion, listFlows, publishFlow, saveFlowDraft } from "./flows.js";

const doc = (id: string, points: number) => ({
  id,
  name: id,
  nodes: [
    { id: "t", type: "trigger.event", config: { eventType: "signup" } },
    { id: "p", type: "score.add", config: { points } },
  ],
  edges: [{ from: "t", to: "p" }],
});

describe.each(testDatabaseKinds)("flows and the FlowCache on %s", (kind) => {
  it("saves drafts, publishes numbered versions and keeps every version readable", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await saveFlowDraft(db, "welcome", doc("welcome", 5));
      expect(await getFlow(db, "welcome")).toMatchObject({ publishedVersion: null, issues: [] });
      expect(await publishFlow(db, "welcome")).toEqual({ id: "welcome", version: 1 });
      await saveFlowDraft(db, "welcome", doc("welcome", 7));
      expect(await publishFlow(db, "welcome")).toEqual({ id: "welcome", version: 2 });
      expect((await listFlows(db)).map((f) => [f.id, f.publishedVersion])).toEqual([["welcome", 2]]);
      const v1 = await getFlowVersion(db, "welcome", 1);
      expect(v1.nodes.find((n) => n.id === "p")).toMatchObject({ config: { points: 5 } });
      await expect(getFlowVersion(db, "welcome", 3)).rejects.toMatchObject({ code: "not_found" });
      await expect(saveFlowDraft(db, "welcome", doc("other", 1))).rejects.toMatchObject({ code: "invalid_input" });
    } finally {
      await close();
    }
  });

  it("compiles a flow again only when its published version changes", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      const cache = new FlowCache();
      expect((await cache.current(db)).flows.size).toBe(0);
      await saveFlowDraft(db, "a", doc("a", 1));
      await publishFlow(db, "a");
      const first = await cache.current(db);
      expect(first.flows.get("a")?.version).toBe(1);
      expect(await cache.current(db)).toBe(first);
      await publishFlow(db, "a");
      const second = await cache.current(db);
      expect(second).not.toBe(first);
      expect(second.flows.get("a")?.version).toBe(2);
      // a run paused on version 1 continues on it: the same compiled object every time
      expect(await cache.version(db, "a", 1)).toBe(first.flows.get("a"));
    } finally {
      await close();
    }
  });
});
