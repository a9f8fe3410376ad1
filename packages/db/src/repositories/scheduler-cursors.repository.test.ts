import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { lockCursor, saveCursor } from "./scheduler-cursors.repository.js";

describe.each(testDatabaseKinds)("scheduler cursors repository on %s", (kind) => {
  it("creates a cursor with its initial value once, then returns what was saved", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      const first = await db.transaction().execute(async (trx) => {
        const held = await lockCursor(trx, "pass", { afterId: "a", done: false });
        await saveCursor(trx, "pass", { afterId: "b", done: true }, new Date("2026-03-10T00:00:00Z"));
        return held;
      });
      expect(first).toEqual({ afterId: "a", done: false });
      expect(await db.transaction().execute((trx) => lockCursor(trx, "pass", { afterId: "a", done: false }))).toEqual({ afterId: "b", done: true });
      expect(await db.transaction().execute((trx) => lockCursor(trx, "other", { n: 1 }))).toEqual({ n: 1 });
    } finally {
      await close();
    }
  });

  if (kind === "postgres") {
    it("gives undefined while another transaction holds the cursor (SKIP LOCKED), the value once it is free", async () => {
      const { db, close } = await createTestDatabase(kind);
      try {
        await db.transaction().execute((trx) => lockCursor(trx, "pass", { n: 1 }));
        let release!: () => void;
        const released = new Promise<void>((r) => (release = r));
        let held!: () => void;
        const holding = new Promise<void>((r) => (held = r));
        const holder = db.transaction().execute(async (trx) => {
          await lockCursor(trx, "pass", { n: 1 });
          held();
          await released;
        });
        await holding;
        expect(await db.transaction().execute((trx) => lockCursor(trx, "pass", { n: 1 }))).toBeUndefined();
        release();
        await holder;
        expect(await db.transaction().execute((trx) => lockCursor(trx, "pass", { n: 1 }))).toEqual({ n: 1 });
      } finally {
        await close();
      }
    });
  }
});
