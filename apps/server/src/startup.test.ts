import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "@leadflow/db/testing";

// each start is a fresh Node process compiling TypeScript: slow on a loaded 2-core machine
const SLOW = { timeout: 300_000 };
const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");
const tsx = join(root, "node_modules/.bin/tsx");

/** Starts the server the way `pnpm start` does; resolves when the process has ended. */
async function start(env: Record<string, string>) {
  try {
    const r = await run(tsx, [join(root, "apps/server/src/main.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: "", HOST: "127.0.0.1", SCHEDULER: "off", LOG_LEVEL: "warn", ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout: string; stderr: string };
    return { code: err.code ?? 1, stdout: err.stdout, stderr: err.stderr };
  }
}

/** The failure a user must see: a non-zero exit and one plain line on stderr, no stack frames. */
function expectOneLine(r: { code: number; stderr: string }, sentence: RegExp) {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(sentence);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

/** Issue 8, finding 9: start-up failures say what to fix. */
describe("start-up failures of the real server", () => {
  const dir = mkdtempSync(join(tmpdir(), "leadflow-start-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("an unreachable PostgreSQL", SLOW, async () => {
    const r = await start({ DATABASE_URL: "postgres://leadflow:hunter2@127.0.0.1:1/x", PORT: "0" });
    expectOneLine(r, /^leadflow: cannot reach the database at postgres:\/\/leadflow:…@127\.0\.0\.1:1\/x \(connection refused\): is PostgreSQL running, and is DATABASE_URL right\?$/);
    expect(r.stderr).not.toContain("hunter2");
  });

  it("a DATA_DIR that is a file", SLOW, async () => {
    const file = join(dir, "file");
    writeFileSync(file, "");
    const r = await start({ DATA_DIR: file, PORT: "0" });
    expectOneLine(r, /^leadflow: the data directory .*file is not a directory \(a file is in the way\): remove that file, or set DATA_DIR to a directory$/);
  });
});

describe.each(testDatabaseKinds)("a port already in use, on %s", (kind) => {
  let taken: Server;
  let port: number;
  let databaseUrl = "";
  let close: (() => Promise<void>) | undefined;
  const dir = mkdtempSync(join(tmpdir(), "leadflow-port-"));
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((ok) => taken.listen(0, "127.0.0.1", ok));
    const address = taken.address();
    port = typeof address === "object" && address ? address.port : 0;
    if (kind === "postgres") {
      const database = await createTestDatabase("postgres");
      databaseUrl = database.url!;
      close = () => database.close();
    }
  });
  afterAll(async () => {
    await new Promise((ok) => taken.close(ok));
    await close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("says which port and what to do", SLOW, async () => {
    const r = await start({ PORT: String(port), DATABASE_URL: databaseUrl, DATA_DIR: join(dir, "data") });
    expectOneLine(r, new RegExp(`^leadflow: port ${port} is already in use: stop the other process or set PORT$`));
  });
});
