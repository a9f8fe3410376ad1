#!/usr/bin/env node
// Runs every suite (unit + integration on PGlite and PostgreSQL with vitest; e2e with
// Playwright when present) and ends with one line: "N passed, M failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

mkdirSync(".ci/out", { recursive: true });
let passed = 0;
let failed = 0;
let exit = 0;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

const vitestJson = ".ci/out/vitest.json";
rmSync(vitestJson, { force: true });
const code = run("pnpm", ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, "utf8"));
  passed += r.numPassedTests;
  const counted = r.numFailedTests + (r.numFailedTestSuites ?? 0);
  // an unhandled error fails the run without failing a test: count it, or the line would say 0
  failed += counted > 0 || code === 0 ? counted : 1;
} else failed += 1;
if (code !== 0) exit = 1;

if (existsSync("e2e/playwright.config.ts") && process.env.SKIP_E2E !== "1") {
  const e2eJson = ".ci/out/e2e.json";
  rmSync(e2eJson, { force: true });
  const c = run("pnpm", ["--filter", "@leadflow/e2e", "exec", "playwright", "test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: `../${e2eJson}` });
  if (existsSync(e2eJson)) {
    const r = JSON.parse(readFileSync(e2eJson, "utf8"));
    passed += r.stats.expected;
    failed += r.stats.unexpected + (r.stats.flaky ?? 0);
  } else failed += 1;
  if (c !== 0) exit = 1;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(exit || (failed > 0 ? 1 : 0));
