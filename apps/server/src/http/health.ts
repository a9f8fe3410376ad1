import type { FastifyInstance } from "fastify";
import { appliedMigrationNames, migrationNames, pingDatabase, type DB, type Kysely } from "@leadflow/db";
import type { SchedulerCheck } from "../ticks.js";

/** A readiness check's verdict; `detail` says what failed in a sentence an operator can act on. */
export interface Check {
  ok: boolean;
  detail: string;
}

/** How long /readyz waits for the database before calling it unreachable (a dead host never answers). */
export const READY_DB_TIMEOUT_MS = 2000;

const processStart = Date.now();

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)) || "unknown error";

/** Database reachable, then every migration of this build applied. */
async function databaseChecks(db: Kysely<DB>): Promise<{ database: Check; migrations: Check }> {
  try {
    await withTimeout(pingDatabase(db), READY_DB_TIMEOUT_MS, "the database");
  } catch (e) {
    return {
      database: { ok: false, detail: `unreachable: ${message(e)}` },
      migrations: { ok: false, detail: "not checked: the database is unreachable" },
    };
  }
  const database = { ok: true, detail: "reachable" };
  try {
    const applied = new Set(await withTimeout(appliedMigrationNames(db), READY_DB_TIMEOUT_MS, "the database"));
    const pending = migrationNames.filter((name) => !applied.has(name));
    return pending.length === 0
      ? { database, migrations: { ok: true, detail: `${migrationNames.length} applied` } }
      : { database, migrations: { ok: false, detail: `not applied: ${pending.join(", ")}` } };
  } catch (e) {
    return { database, migrations: { ok: false, detail: `cannot read the applied migrations: ${message(e)}` } };
  }
}

/**
 * `GET /healthz`: the process is alive and its event loop answers (touches nothing else, so a
 * database outage never gets a healthy process restarted). `GET /readyz`: this process can do
 * its work: database reachable, migrations applied, scheduler ticking (when it runs here);
 * 503 with each check's verdict otherwise.
 */
export function healthRoutes(app: FastifyInstance, db: Kysely<DB>, scheduler: (() => SchedulerCheck) | undefined): void {
  app.get("/healthz", async () => ({ ok: true, uptimeSeconds: Math.round((Date.now() - processStart) / 1000) }));
  app.get("/readyz", async (_request, reply) => {
    const checks = {
      ...(await databaseChecks(db)),
      scheduler: scheduler ? scheduler() : { ok: true, detail: "not run by this process (SCHEDULER=off)" },
    };
    const ok = Object.values(checks).every((c) => c.ok);
    return reply.status(ok ? 200 : 503).header("cache-control", "no-store").send({ ok, checks });
  });
}
