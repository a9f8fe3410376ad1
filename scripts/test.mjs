#!/usr/bin/env node
// `pnpm test`: every suite (unit + integration on PGlite and PostgreSQL with vitest; lint as one
// check; e2e with Playwright and Chromium) and one last line: "N passed, M failed".
// What a machine lacks is said in one line at the start, not as a failure minutes later: without
// PostgreSQL only the PGlite half runs (TEST_DATABASE_KINDS=pglite), without Chromium no e2e. On CI
// (CI=true) either gap also counts as a failure, so a CI run cannot pass having skipped them.
// `pnpm test <vitest filters>` runs only those vitest files (no lint, no e2e).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { connect } from "node:net";
import { join, resolve } from "node:path";

const filters = process.argv.slice(2);
const out = process.env.LEADFLOW_TEST_OUT ?? ".ci/out"; // where the reporters' JSON goes
mkdirSync(out, { recursive: true });
const ci = process.env.CI === "true" || process.env.CI === "1";
let passed = 0;
let failed = 0;
let exit = 0;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

/** Whether a TCP connection to host:port opens within `ms`. */
function reachable(host, port, ms = 2000) {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const end = (ok) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(ms, () => end(false));
    socket.once("connect", () => end(true));
    socket.once("error", () => end(false));
  });
}

/** Test files that open PostgreSQL themselves (not through testDatabaseKinds): skipped without it. */
function filesNeedingPostgres() {
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === "node_modules" || name === "dist") continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".test.ts") && /createTestDatabase\("postgres"\)|TEST_DATABASE_URL|kind: "postgres"/.test(readFileSync(path, "utf8"))) found.push(path);
    }
  };
  for (const top of ["apps", "packages"]) for (const pkg of readdirSync(top)) if (existsSync(join(top, pkg, "src"))) walk(join(top, pkg, "src"));
  return found;
}

const vitestArgs = [];
const vitestEnv = {};
const pgUrl = new URL(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test");
if (!process.env.TEST_DATABASE_KINDS && !(await reachable(pgUrl.hostname, Number(pgUrl.port || 5432)))) {
  const skipped = filesNeedingPostgres();
  console.log(
    `[test] PostgreSQL is not reachable at ${pgUrl.host} (TEST_DATABASE_URL): running the PGlite half only (${skipped.length} files need PostgreSQL and are skipped); ` +
      `for the full run start PostgreSQL with trust auth on 127.0.0.1 and a database "test", or run bash .ci/run${ci ? " (CI: counted as a failure)" : ""}`,
  );
  vitestEnv.TEST_DATABASE_KINDS = "pglite";
  for (const f of skipped) vitestArgs.push("--exclude", f);
  if (ci) failed += 1;
}

const chromium = process.env.CHROMIUM_PATH || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const e2e = filters.length === 0 && existsSync("e2e/playwright.config.ts") && process.env.SKIP_E2E !== "1";
if (e2e && !chromium) {
  console.log(`[test] Chromium not found (CHROMIUM_PATH, /usr/bin/chromium): e2e skipped; apt-get install chromium, or SKIP_E2E=1${ci ? " (CI: counted as a failure)" : ""}`);
  if (ci) failed += 1;
}

const vitestJson = join(out, "vitest.json");
rmSync(vitestJson, { force: true });
const code = run("pnpm", ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`, ...vitestArgs, ...filters], vitestEnv);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, "utf8"));
  passed += r.numPassedTests;
  const counted = r.numFailedTests + (r.numFailedTestSuites ?? 0);
  // an unhandled error fails the run without failing a test: count it, or the line would say 0
  failed += counted > 0 || code === 0 ? counted : 1;
} else failed += 1;
if (code !== 0) exit = 1;

// lint (ESLint: typescript-eslint + react-hooks) counts as one check
if (filters.length === 0) {
  console.log("[test] lint (pnpm lint)");
  if (run("pnpm", ["exec", "eslint", "."]) === 0) passed += 1;
  else {
    failed += 1;
    exit = 1;
  }
}

if (e2e && chromium) {
  const e2eJson = join(out, "e2e.json");
  rmSync(e2eJson, { force: true });
  const c = run("pnpm", ["--filter", "@leadflow/e2e", "exec", "playwright", "test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: resolve(e2eJson), CHROMIUM_PATH: chromium });
  if (existsSync(e2eJson)) {
    const r = JSON.parse(readFileSync(e2eJson, "utf8"));
    passed += r.stats.expected;
    failed += r.stats.unexpected + (r.stats.flaky ?? 0);
  } else failed += 1;
  if (c !== 0) exit = 1;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(exit || (failed > 0 ? 1 : 0));
