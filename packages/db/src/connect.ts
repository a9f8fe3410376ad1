import { mkdirSync } from "node:fs";
import { Kysely, PostgresDialect } from "kysely";
import { PGlite } from "@electric-sql/pglite";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import type { DB } from "./tables.js";
import { migrate } from "./migrations.js";

export type DatabaseKind = "postgres" | "pglite";

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { kind: "postgres"; url: string; poolSize?: number }
  /** dataDir undefined = in memory (tests) */
  | { kind: "pglite"; dataDir?: string };

// Counts and sums come back as strings from pg (bigint, numeric); scores are double precision.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/**
 * Opens the database and applies pending migrations.
 * PGlite is one backend: the caller must own its data directory (see acquireDataDirLock).
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let db: Kysely<DB>;
  if (options.kind === "postgres") {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle client whose server connection dies (restart, admin termination) is dropped by
    // the pool and the next query reconnects; without a listener the error would end the process.
    pool.on("error", () => undefined);
    // A client checked out of the pool has no such listener: a connection cut while a
    // transaction holds it (the consumer's, between statements) would crash the process. Its
    // pending or next query fails instead, and the pool discards it on release.
    pool.on("connect", (client) => client.on("error", () => undefined));
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  } else {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const pglite = options.dataDir ? new PGlite(`${options.dataDir}/pgdata`) : new PGlite();
    await pglite.waitReady;
    db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  }
  try {
    await migrate(db);
  } catch (e) {
    await db.destroy(); // a failed start must not leave a pool or an embedded backend open
    throw e;
  }
  return { db, kind: options.kind, close: () => db.destroy() };
}
