import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { findTemplate, listTemplateRows, upsertTemplate } from "./templates.repository.js";

describe.each(testDatabaseKinds)("templates repository on %s", (kind) => {
  it("creates, replaces, finds and lists templates by id", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await upsertTemplate(db, { id: "warm", subject: "Hi", html: "<p>1</p>", text: "1" });
      await upsertTemplate(db, { id: "cold", subject: "Hello", html: "<p>c</p>", text: null });
      await upsertTemplate(db, { id: "warm", subject: "Hi again", html: "<p>2</p>", text: null });
      expect(await findTemplate(db, "warm")).toEqual({ id: "warm", subject: "Hi again", html: "<p>2</p>", text: null });
      expect(await findTemplate(db, "hot")).toBeUndefined();
      expect((await listTemplateRows(db)).map((t) => t.id)).toEqual(["cold", "warm"]);
    } finally {
      await close();
    }
  });
});
