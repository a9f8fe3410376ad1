import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { lockLeadsAfter, lockLeadsById, lockQuietLeads } from "./segments.repository.js";

const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const lead = (n: number, createdAt: string, lastActivityAt: string | null) => ({
  id: id(n), email: `${n}@example.com`, email_lower: `${n}@example.com`, tier: "Cold", properties: "{}", categories: "{}", flow_state: "{}",
  created_at: createdAt, last_activity_at: lastActivityAt,
});
const ids = (rows: { id: string }[]) => rows.map((r) => Number(r.id.slice(-1)));

describe.each(testDatabaseKinds)("segments repository (scheduler lead scans) on %s", (kind) => {
  it("walks leads in id order behind a cursor and locks given leads in id order", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values([3, 1, 4, 2].map((n) => lead(n, "2026-01-01T00:00:00Z", null))).execute();
      await db.transaction().execute(async (trx) => {
        expect(ids(await lockLeadsAfter(trx, "00000000-0000-0000-0000-000000000000", 3))).toEqual([1, 2, 3]);
        expect(ids(await lockLeadsAfter(trx, id(3), 3))).toEqual([4]);
        expect(ids(await lockLeadsById(trx, [id(4), id(2), id(9)]))).toEqual([2, 4]);
        expect(await lockLeadsById(trx, [])).toEqual([]);
      });
    } finally {
      await close();
    }
  });

  it("finds leads quiet since the cut in (quiet-since, id) order after a cursor, with quiet-since at full precision", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await db.insertInto("leads").values([
        lead(1, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00.123456Z"),
        lead(2, "2026-01-15T00:00:00Z", null),
        lead(3, "2026-01-01T00:00:00Z", "2026-03-05T00:00:00Z"),
        lead(4, "2026-01-15T00:00:00Z", null),
      ]).execute();
      await db.transaction().execute(async (trx) => {
        const cut = new Date("2026-03-01T00:00:00Z");
        const first = await lockQuietLeads(trx, cut, { since: "-infinity", id: "00000000-0000-0000-0000-000000000000" }, 2);
        expect(ids(first)).toEqual([2, 4]);
        expect(new Date(first[0]!.quiet_since_at).toISOString()).toBe("2026-01-15T00:00:00.000Z");
        const last = first[1]!;
        const rest = await lockQuietLeads(trx, cut, { since: last.quiet_since, id: last.id }, 2);
        expect(ids(rest)).toEqual([1]);
        // the text form keeps the microseconds a Date would drop, so the cursor does not see lead 1 again
        expect(rest[0]!.quiet_since).toMatch(/\.123456/);
        expect(await lockQuietLeads(trx, cut, { since: rest[0]!.quiet_since, id: rest[0]!.id }, 2)).toEqual([]);
      });
    } finally {
      await close();
    }
  });
});
