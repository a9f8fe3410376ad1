import { defineConfig } from "@playwright/test";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Runs against the app started the way the README starts it (`pnpm start`), on a fresh
 * embedded database, with Debian's Chromium (never a downloaded browser).
 */
const port = Number(process.env.LEADFLOW_E2E_PORT ?? 3917);
if (!process.env.LEADFLOW_E2E_DATA) {
  process.env.LEADFLOW_E2E_DATA = join(tmpdir(), `leadflow-e2e-${process.pid}`);
  rmSync(process.env.LEADFLOW_E2E_DATA, { recursive: true, force: true });
  mkdirSync(process.env.LEADFLOW_E2E_DATA, { recursive: true });
}
process.env.LEADFLOW_E2E_URL = `http://127.0.0.1:${port}`;
const chromium = process.env.CHROMIUM_PATH || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

export default defineConfig({
  testDir: "./specs",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? "../.ci/out/e2e.json" }]],
  use: {
    baseURL: process.env.LEADFLOW_E2E_URL,
    viewport: { width: 1600, height: 900 },
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    command: "pnpm start",
    cwd: resolve(import.meta.dirname, ".."),
    url: `${process.env.LEADFLOW_E2E_URL}/healthz`,
    timeout: 240_000,
    reuseExistingServer: false,
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: process.env.LEADFLOW_E2E_DATA!,
      DATABASE_URL: "",
      SMTP_URL: "",
      SCHEDULER_CRON: "*/2 * * * * *",
      LOG_LEVEL: "warn",
    },
    stdout: "pipe",
  },
});
