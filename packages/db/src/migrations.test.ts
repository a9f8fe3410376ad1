import { describe, it, expect } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "./testing.js";
import { sql } from "kysely";

describe.each(testDatabaseKinds)("migrations on %s", (kind) => {
  it("creates every table and is idempotent", async () => {
    const database = await createTestDatabase(kind);
    try {
      const { rows } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(database.db);
      const names = rows.map((r) => r.table_name);
      for (const t of ["leads", "events", "score_ledger", "flows", "flow_versions", "outbox_jobs", "api_keys", "mailbox"]) {
        expect(names).toContain(t);
      }
      await import("./migrations.js").then((m) => m.migrate(database.db));
    } finally {
      await database.close();
    }
  });
});
