import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import { spine } from "./migrations/0001-spine.js";
import { web } from "./migrations/0002-web.js";
import { time } from "./migrations/0003-time.js";
import { email } from "./migrations/0004-email.js";
import { security } from "./migrations/0005-security.js";
import { siteKeys } from "./migrations/0006-site-keys.js";
import { identity } from "./migrations/0007-identity.js";
import { eventTime } from "./migrations/0008-event-time.js";
import { eventQueue } from "./migrations/0009-event-queue.js";
import { imports } from "./migrations/0011-imports.js";

/**
 * Migrations live in code, one file each under migrations/, applied at start, in name order.
 * Append only: never edit one that has shipped.
 */
const migrations: Record<string, Migration> = {
  "0001_spine": spine,
  "0002_web": web,
  "0003_time": time,
  "0004_email": email,
  "0005_security": security,
  "0006_site_keys": siteKeys,
  "0007_identity": identity,
  "0008_event_time": eventTime,
  "0009_event_queue": eventQueue,
  "0011_imports": imports,
};

/** Every migration this build knows, in order: readiness compares them with the applied ones. */
export const migrationNames: readonly string[] = Object.keys(migrations);

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrate(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    // the cause keeps the driver's code (ECONNREFUSED, 28P01, …) for the start-up message
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
