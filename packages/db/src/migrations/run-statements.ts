import { sql, type Kysely } from "kysely";

/** PGlite's extended protocol takes one statement per query, so DDL goes one statement at a time. */
export async function runStatements(db: Kysely<any>, ddl: string): Promise<void> {
  for (const statement of ddl.split(/;\s*\n/)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}
