// `pnpm test` on a machine without PostgreSQL: one line saying so at the start, the PGlite half
// run, and a summary line that counts what ran (issue 15: it used to fail with ECONNREFUSED).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";

it("says in one line at the start that PostgreSQL is missing and runs the PGlite half", () => {
  const out = mkdtempSync(join(tmpdir(), "leadflow-test-out-"));
  try {
    const env: Record<string, string | undefined> = { ...process.env, TEST_DATABASE_URL: "postgres://postgres@127.0.0.1:1/test", LEADFLOW_TEST_OUT: out };
    for (const k of ["CI", "TEST_DATABASE_KINDS", "VITEST", "VITEST_POOL_ID", "VITEST_WORKER_ID", "NODE_OPTIONS"]) delete env[k];
    const r = spawnSync("node", ["scripts/test.mjs", "packages/db/src/testing.test.ts"], { cwd: resolve(import.meta.dirname, ".."), env, encoding: "utf8", timeout: 240_000 });
    const lines = r.stdout.split("\n").filter((l) => l.trim() !== "");
    expect(lines[0]).toMatch(/^\[test\] PostgreSQL is not reachable at 127\.0\.0\.1:1 \(TEST_DATABASE_URL\): running the PGlite half only \(\d+ files need PostgreSQL/);
    expect(lines.filter((l) => l.includes("PostgreSQL is not reachable"))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/^[1-9]\d* passed, 0 failed$/);
    expect(r.status).toBe(0);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

it(".ci/run adds one pg_hba.conf line (postgres from 127.0.0.1), only when the tests cannot connect, and never rewrites the rest", () => {
  const ci = readFileSync(resolve(import.meta.dirname, "../.ci/run"), "utf8");
  const edits = ci.split("\n").filter((l) => /\$hba/.test(l) && /\bsed\b|>>?\s*"?\$hba/.test(l));
  expect(edits).toEqual(['      sed -i "1i $line" "$hba"']);
  expect(ci).toContain("line='host all postgres 127.0.0.1/32 trust # leadflow .ci/run: integration tests'");
  expect(ci).toMatch(/if ! grep -qF "\$line" "\$hba"; then/);
  expect(ci).not.toMatch(/host all all/);
});
