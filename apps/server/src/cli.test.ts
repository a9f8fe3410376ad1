import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// each CLI call is a fresh Node process compiling TypeScript: slow on a loaded 2-core machine
const SLOW = { timeout: 300_000 };
import { createTestDatabase } from "@leadflow/db/testing";
import { loadEnv } from "./env.js";
import { startServer, type RunningServer } from "./server.js";
import { handoffFlow, reps, warmIntro } from "./testing/scenario.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");
const tsx = join(root, "node_modules/.bin/tsx");

/** Runs `pnpm leadflow …` the way a user does (same entry point), in a child process. */
async function leadflow(args: string[], env: Record<string, string>) {
  try {
    const r = await run(tsx, [join(root, "apps/server/src/cli.ts"), ...args], {
      cwd: env.INIT_CWD ?? root,
      env: { ...process.env, DATABASE_URL: "", ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout: string; stderr: string };
    return { code: err.code ?? 1, stdout: err.stdout, stderr: err.stderr };
  }
}
const lastLine = (s: string) => s.trim().split("\n").pop()!;

async function api(server: RunningServer, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("CLI on the embedded database", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "leadflow-cli-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("works on a fresh data directory, then through the server that owns it", SLOW, async () => {
    const dataDir = join(dir, "data");
    const created = await leadflow(["apikey", "create", "--name", "first"], { DATA_DIR: dataDir });
    expect(created.code).toBe(0);
    const key = lastLine(created.stdout);
    expect(key).toMatch(/^lf_sk_[\w-]{40,}$/);

    const server = await startServer(loadEnv({ DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off", LOG_LEVEL: "silent" }));
    try {
      expect((await api(server, key, "GET", "/api/v1/reps")).status).toBe(200);

      // while the server owns the directory, commands go through it
      const second = await leadflow(["apikey", "create", "--name", "second"], { DATA_DIR: dataDir });
      expect(second.code).toBe(0);
      const key2 = lastLine(second.stdout);
      expect((await api(server, key2, "GET", "/api/v1/reps")).status).toBe(200);

      await api(server, key, "PUT", "/api/v1/templates/warm-intro", warmIntro);
      await api(server, key, "PUT", "/api/v1/reps", reps);
      writeFileSync(join(dir, "hand-off.json"), JSON.stringify(handoffFlow));
      writeFileSync(join(dir, "broken.json"), JSON.stringify({ ...handoffFlow, id: "broken", edges: [] }));
      const applied = await leadflow(["flows", "apply", "hand-off.json"], { DATA_DIR: dataDir, INIT_CWD: dir });
      expect(applied.stdout).toContain("hand-off.json: published flow hand-off version 1");
      expect(applied.code).toBe(0);
      const broken = await leadflow(["flows", "apply", "broken.json"], { DATA_DIR: dataDir, INIT_CWD: dir });
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(/node p-pricing: .*\[unreachable\]/);

      writeFileSync(join(dir, "leads.csv"), 'email,firstName,country\nanna@example.hu,Anna,HU\n"ben@example.com","Ben, Jr.",US\nnot-an-email,X,DE\n');
      const imported = await leadflow(["leads", "import", "leads.csv"], { DATA_DIR: dataDir, INIT_CWD: dir });
      expect(imported.stdout).toContain("leads.csv: 2 created, 0 updated, 1 rejected");
      expect(imported.stdout).toContain("line 4:");
      expect((await api(server, key, "GET", "/api/v1/leads/ben@example.com")).body.properties).toEqual({ firstName: "Ben, Jr.", country: "US" });

      await api(server, key, "POST", "/api/v1/events?wait=true", {
        events: [{ email: "anna@example.hu", type: "demo_request" }, ...[1, 2].map(() => ({ email: "anna@example.hu", type: "page_view", properties: { url: "/pricing" } }))],
      });
      const ticked = await leadflow(["tick", "--now", "2030-01-01T00:00:00Z"], { DATA_DIR: dataDir });
      expect(ticked.code).toBe(0);
      expect(ticked.stdout).toContain("tick as of 2030-01-01T00:00:00.000Z: outbox sent 2");

      const user = await leadflow(["user", "create", "--email", "mia@example.com", "--password", "correct horse", "--role", "marketer"], { DATA_DIR: dataDir });
      expect(user.stdout).toContain("created marketer mia@example.com");
      const badRole = await leadflow(["user", "create", "--email", "x@example.com", "--password", "correct horse", "--role", "king"], { DATA_DIR: dataDir });
      expect(badRole.code).toBe(1);
      expect(badRole.stderr).toMatch(/role/);

      // a second server on the same directory is refused with a clear message
      const second_server = await run(tsx, [join(root, "apps/server/src/main.ts")], {
        env: { ...process.env, DATABASE_URL: "", DATA_DIR: dataDir, PORT: "0" },
        timeout: 60_000,
      }).then(
        () => ({ code: 0, stderr: "" }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(second_server.code).toBe(1);
      expect(second_server.stderr).toMatch(/in use by process \d+ .*one process per directory/);
    } finally {
      await server.stop();
    }
  });

  it("creates a site key printed alone on the last line, lists and revokes it", SLOW, async () => {
    const dataDir = join(dir, "sitekeys");
    const created = await leadflow(["sitekey", "create", "--name", "Shop", "--origin", "https://Shop.example/", "--origin", "http://127.0.0.1:8080"], { DATA_DIR: dataDir });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("usable from https://shop.example, http://127.0.0.1:8080");
    const key = lastLine(created.stdout);
    expect(key).toMatch(/^lf_pk_[\w-]{30,}$/);
    const id = /\(([0-9a-f-]{36})\)/.exec(created.stdout)![1]!;

    const server = await startServer(loadEnv({ DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off", LOG_LEVEL: "silent" }));
    try {
      const intake = (origin: string) =>
        fetch(`${server.url}/t/e`, { method: "POST", headers: { "content-type": "text/plain", origin }, body: JSON.stringify({ siteKey: key, events: [{ type: "page_view", anonymousId: "cli-visitor" }] }) });
      expect((await intake("https://shop.example")).status).toBe(200);
      expect((await intake("https://other.example")).status).toBe(403);

      const listed = await leadflow(["sitekey", "list"], { DATA_DIR: dataDir });
      expect(listed.stdout).toContain(`${id}  ${key.slice(0, 12)}…  Shop`);
      expect(listed.stdout).not.toContain(key);
      const revoked = await leadflow(["sitekey", "revoke", id], { DATA_DIR: dataDir });
      expect(revoked.code).toBe(0);
      expect((await intake("https://shop.example")).status).toBe(401);
    } finally {
      await server.stop();
    }
    const bad = await leadflow(["sitekey", "create", "--name", "Bad", "--origin", "shop.example/path"], { DATA_DIR: dataDir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("is not a website address");
  });

  it("explains usage mistakes", SLOW, async () => {
    const r = await leadflow(["apikey", "create"], { DATA_DIR: join(dir, "other") });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing --name");
    expect(r.stderr).toContain("usage: pnpm leadflow");
  });
});

describe("CLI on PostgreSQL", () => {
  it("creates keys the server accepts, before and while it runs", SLOW, async () => {
    const database = await createTestDatabase("postgres");
    const env = { DATABASE_URL: database.url! };
    try {
      const first = await leadflow(["apikey", "create", "--name", "ops"], env);
      expect(first.code).toBe(0);
      const server = await startServer(loadEnv({ ...env, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off", LOG_LEVEL: "silent" }));
      try {
        expect((await api(server, lastLine(first.stdout), "GET", "/api/v1/reps")).status).toBe(200);
        const second = await leadflow(["apikey", "create", "--name", "ci"], env);
        expect((await api(server, lastLine(second.stdout), "GET", "/api/v1/reps")).status).toBe(200);
        const ticked = await leadflow(["tick"], env);
        expect(ticked.stdout).toMatch(/^tick as of .*: outbox sent 0/m);
      } finally {
        await server.stop();
      }
    } finally {
      await database.close();
    }
  });
});
