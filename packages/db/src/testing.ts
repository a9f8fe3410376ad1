import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "./connect.js";

/** PostgreSQL used by integration tests; each test database is created fresh and dropped. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export const testDatabaseKinds = ["pglite", "postgres"] as const;

/** A fresh, migrated database of that kind, with a URL when it is PostgreSQL. */
export async function createTestDatabase(kind: (typeof testDatabaseKinds)[number]): Promise<Database & { url?: string }> {
  if (kind === "pglite") return openDatabase({ kind: "pglite" });
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
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}
