import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { createTestDatabase } from "./testing.js";

describe("a PostgreSQL connection cut under the process", () => {
  it("does not end the process when the cut client is checked out, and the next query reconnects", async () => {
    const database = await createTestDatabase("postgres");
    const uncaught: unknown[] = [];
    const record = (e: unknown) => uncaught.push(e);
    const listeners = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    process.on("uncaughtException", record);
    try {
      const held = await database.db.connection().execute(async (conn) => {
        const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(conn);
        // cut this very connection from another one, while it is checked out and idle
        await sql`SELECT pg_terminate_backend(${rows[0]!.pid})`.execute(database.db);
        await new Promise((r) => setTimeout(r, 300));
        return sql`SELECT 1`.execute(conn).then(() => "answered", () => "refused");
      });
      expect(held).toBe("refused");
      expect(uncaught).toEqual([]);
      const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      process.off("uncaughtException", record);
      for (const l of listeners) process.on("uncaughtException", l);
      await database.close();
    }
  });
});
