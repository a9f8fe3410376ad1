import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// a bundle build and a plain-Node start on a loaded 2-core machine: generous bounds, no timing asserted
const SLOW = { timeout: 240_000 };
const root = resolve(import.meta.dirname, "../../..");

interface Build {
  buildServer(outDir?: string): Promise<number>;
}

/** Starts `node <entry>`; resolves with the URL once it prints that it listens (bounded). */
function startBuilt(entry: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "warn", DATABASE_URL: "", SCHEDULER: "off", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the built server did not listen within 180 s:\n${out}`)), 180_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Leadflow listening on \S+ \((http:\/\/127\.0\.0\.1:\d+)\)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ child, url: m[1]!, output: () => out });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the built server exited (${code}) before listening:\n${out}`));
    });
  });
}

describe("the production start (pnpm build, then plain Node)", () => {
  const dir = mkdtempSync(join(tmpdir(), "leadflow-built-"));
  // the bundle goes beside the real one (imports into node_modules are relative to it), not over it
  const outDir = join(root, "apps/server", `dist-test-${process.pid}`);
  let server: Awaited<ReturnType<typeof startBuilt>>;

  beforeAll(async () => {
    const build = (await import(join(root, "scripts/build.mjs"))) as Build;
    expect(await build.buildServer(outDir)).toBeGreaterThan(50);
    server = await startBuilt(join(outDir, "main.js"), { DATA_DIR: join(dir, "data") });
  }, SLOW.timeout);

  afterAll(async () => {
    if (server?.child.exitCode === null) {
      const exited = new Promise((r) => server.child.once("exit", r));
      server.child.kill("SIGTERM");
      await exited;
    }
    rmSync(outDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it("bundles only the workspace's own code: every other package is imported from node_modules, nothing from TypeScript at run time", () => {
    const bundle = readFileSync(join(outDir, "main.js"), "utf8");
    const imports = [...bundle.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!);
    expect(imports.length).toBeGreaterThan(5);
    for (const spec of imports) expect(spec, spec).toMatch(/^(node:|\.\.\/\.\.\/\.\.\/node_modules\/)/);
    expect(bundle).not.toMatch(/from "[^"]*\.ts"/);
    const info = JSON.parse(readFileSync(join(outDir, "build.json"), "utf8")) as { inputs: string[] };
    expect(info.inputs).toContain("apps/server/src/main.ts");
  });

  it("serves after the build: /healthz, /readyz, /metrics, the snippet file found beside its source, SIGTERM exits 0", SLOW, async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, checks: { migrations: { ok: true } } });
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^# HELP leadflow_events_accepted_total /m);
    const snippet = await fetch(`${server.url}/t/p.js`);
    expect(snippet.status).toBe(200);
    expect(await snippet.text()).toMatch(/^\(function \(\) \{\n"use strict";/); // apps/server/src/snippet/p.js, comments stripped

    const exited = new Promise<number | null>((r) => server.child.once("exit", (code) => r(code)));
    server.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(server.output()).not.toMatch(/\x1b\[/); // no coloured text in the log
  });
});
