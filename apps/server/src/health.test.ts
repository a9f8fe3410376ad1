import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "@leadflow/db";
import { createTestDatabase } from "@leadflow/db/testing";
import { loadEnv } from "./env.js";
import { startServer, type RunningServer } from "./server.js";

const base = { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", SCHEDULER_CRON: "* * * * * *" };

interface Ready {
  status: number;
  body: { ok: boolean; checks: Record<"database" | "migrations" | "scheduler", { ok: boolean; detail: string }> };
}

async function readyz(server: RunningServer): Promise<Ready> {
  const res = await fetch(`${server.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Ready["body"] };
}

/** Asks /readyz until it answers `status` (bounded: 40 tries, 250 ms apart); returns the last answer. */
async function readyzUntil(server: RunningServer, status: number): Promise<Ready> {
  let r = await readyz(server);
  for (let i = 0; i < 40 && r.status !== status; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    r = await readyz(server);
  }
  return r;
}

describe("/healthz and /readyz", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("on postgres: /readyz turns 503 naming the database when it goes away, and 200 when it is back; /healthz stays 200", { timeout: 60_000 }, async () => {
    const database = await createTestDatabase("postgres");
    cleanups.push(() => database.close());
    const name = new URL(database.url!).pathname.slice(1);
    const server = await startServer(loadEnv({ ...base, DATABASE_URL: database.url }), { webDir: "/nonexistent" });
    cleanups.push(() => server.stop());

    const up = await readyzUntil(server, 200);
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body.checks.database.ok).toBe(true);
    expect(up.body.checks.migrations).toMatchObject({ ok: true });

    // from another database's connection: block the server's database, cut every connection to
    // it (the server's pool cannot connect any more), and later let connections in again
    const other = await createTestDatabase("postgres");
    cleanups.push(() => other.close());
    await other.db.connection().execute(async (conn) => {
      await sql.raw(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`).execute(conn);
      try {
        await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${name}`.execute(conn);
        const down = await readyzUntil(server, 503);
        expect(down.status).toBe(503);
        expect(down.body.ok).toBe(false);
        expect(down.body.checks.database.ok).toBe(false);
        expect(down.body.checks.database.detail).toMatch(/^unreachable: /);
        expect(down.body.checks.migrations.ok).toBe(false);
        const health = await fetch(`${server.url}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ ok: true });
      } finally {
        await sql.raw(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`).execute(conn);
      }
    });
    const back = await readyzUntil(server, 200);
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.checks.database.ok).toBe(true);
  });

  it("on pglite: /readyz answers 200 with the scheduler ticking, and 503 once the embedded database is closed", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "leadflow-ready-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const server = await startServer(loadEnv({ ...base, DATA_DIR: dir, DATABASE_URL: "" }), { webDir: "/nonexistent" });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await server.stop().catch(() => undefined);
    });

    const up = await readyzUntil(server, 200);
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body.checks.scheduler.ok).toBe(true);

    await server.ctx.deps.db.destroy(); // the embedded backend is gone
    const down = await readyzUntil(server, 503);
    expect(down.status).toBe(503);
    expect(down.body.checks.database.ok).toBe(false);
    expect(down.body.checks.scheduler.ok).toBe(true); // the loop still fires; its ticks fail and say so
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await server.stop().catch(() => undefined);
    stopped = true;
  });

  it("with SCHEDULER=off, /readyz says the scheduler is not run here and does not fail on it", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "leadflow-ready-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const server = await startServer(loadEnv({ ...base, DATA_DIR: dir, DATABASE_URL: "", SCHEDULER: "off" }), { webDir: "/nonexistent" });
    cleanups.push(() => server.stop());
    const r = await readyz(server);
    expect(r.status).toBe(200);
    expect(r.body.checks.scheduler).toEqual({ ok: true, detail: "not run by this process (SCHEDULER=off)" });
  });
});
