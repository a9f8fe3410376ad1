import { describe, expect, expectTypeOf, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "./testing.js";
import { chunks, insertRecords, type RecordColumns, type RecordOf } from "./recordset.js";

const COLUMNS = { id: "uuid", email: "text", email_lower: "text", tier: "text", properties: "jsonb", last_activity_at: "timestamptz" } as const satisfies RecordColumns<"leads">;

describe("typed recordsets (compile-time)", () => {
  it("refuses a column the table does not have, and rows that do not match the columns", () => {
    // @ts-expect-error: `emails` is not a column of leads (a renamed column fails to compile)
    const renamed = { emails: "text" } as const satisfies RecordColumns<"leads">;
    expect(renamed).toBeDefined();
    expectTypeOf<RecordOf<"leads", typeof COLUMNS>>().toEqualTypeOf<{
      id: string; email: string; email_lower: string; tier: string; properties: Record<string, unknown>;
      last_activity_at: Date | string | null;
    }>();
    // @ts-expect-error: a row without its declared columns
    const row: RecordOf<"leads", typeof COLUMNS> = { id: "x" };
    expect(row).toBeDefined();
  });

  it("chunks a list into slices of at most the size", () => {
    expect([...chunks([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...chunks([], 2)]).toEqual([]);
  });
});

describe.each(testDatabaseKinds)("typed recordsets on %s", (kind) => {
  it("inserts rows as one JSON parameter: JSON as objects, times, nulls and quotes kept", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      const rows = [
        { id: "00000000-0000-4000-8000-00000000000a", email: "o'neil@x.test", email_lower: "o'neil@x.test", tier: "Cold", properties: { a: [1, "two"], q: "\"" }, last_activity_at: "2026-11-01T10:00:00.000Z" },
        { id: "00000000-0000-4000-8000-00000000000b", email: "b@x.test", email_lower: "b@x.test", tier: "Warm", properties: {}, last_activity_at: null },
      ];
      await insertRecords("leads", COLUMNS, rows, { orderBy: "email_lower" }).execute(db);
      const stored = await db.selectFrom("leads").select(["email", "properties", "last_activity_at"]).orderBy("email_lower").execute();
      expect(stored.map((r) => [r.email, r.properties, r.last_activity_at && new Date(r.last_activity_at).toISOString()])).toEqual([
        ["b@x.test", {}, null],
        ["o'neil@x.test", { a: [1, "two"], q: "\"" }, "2026-11-01T10:00:00.000Z"],
      ]);
    } finally {
      await close();
    }
  });
});
