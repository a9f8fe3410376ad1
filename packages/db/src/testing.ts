import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "./connect.js";

/** PostgreSQL used by integration tests; each test database is created fresh and dropped. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const allKinds = ["pglite", "postgres"] as const;
type TestDatabaseKind = (typeof allKinds)[number];

/**
 * The kinds integration tests run on: both, unless TEST_DATABASE_KINDS names a subset
 * (`pnpm test` sets `pglite` when PostgreSQL is not reachable, and says so).
 */
export const testDatabaseKinds: readonly TestDatabaseKind[] = ((): TestDatabaseKind[] => {
  const wanted = (process.env.TEST_DATABASE_KINDS ?? "").split(",").map((k) => k.trim()).filter(Boolean);
  const unknown = wanted.filter((k) => !(allKinds as readonly string[]).includes(k));
  if (unknown.length > 0) throw new Error(`TEST_DATABASE_KINDS: unknown ${unknown.join(", ")} (use ${allKinds.join(", ")})`);
  return wanted.length === 0 ? [...allKinds] : allKinds.filter((k) => wanted.includes(k));
})();

/** A fresh, migrated database of that kind, with a URL when it is PostgreSQL. */
export async function createTestDatabase(kind: TestDatabaseKind): Promise<Database & { url?: string }> {
  if (kind === "pglite") return openDatabase({ kind: "pglite" });
  if (!testDatabaseKinds.includes(kind)) {
    throw new Error(`PostgreSQL is off for this run (TEST_DATABASE_KINDS=${process.env.TEST_DATABASE_KINDS}); start it and unset TEST_DATABASE_KINDS`);
  }
  const name = `leadflow_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 5 });
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const drop = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await drop.connect();
      await dropWhenIdle(drop, name);
      await drop.end();
    },
  };
}

/**
 * Drops a test database once its connections are gone. pg's pool.end() resolves before every
 * socket has closed; dropping WITH (FORCE) at once would kill those backends and their
 * clients would see an unhandled "terminating connection" error. FORCE only as a last resort.
 */
async function dropWhenIdle(client: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== "55006") throw e; // 55006: still in use
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
