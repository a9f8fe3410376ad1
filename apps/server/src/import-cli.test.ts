import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LeadImportView } from "@leadflow/runtime";
import { loadEnv } from "./env.js";
import { parseCommand, runCommand } from "./cli-run.js";
import { ImportProgress } from "./cli-progress.js";

const dir = mkdtempSync(join(tmpdir(), "leadflow-import-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("leads import and export in the CLI's own process", () => {
  it("imports a ;-separated file with the options given, reports rejected rows by line, and exports to a file", { timeout: 120_000 }, async () => {
    const env = loadEnv({ DATA_DIR: join(dir, "data"), LOG_LEVEL: "silent" });
    const file = join(dir, "leads.csv");
    writeFileSync(file, "email;firstName\nanna@example.com;=Anna\nbad;X\n");
    const request = parseCommand(["leads", "import", file, "--delimiter", ";", "--encoding", "utf-8"]);
    expect(request).toMatchObject({ command: "leads.import", delimiter: ";", encoding: "utf-8" });
    const imported = await runCommand(env, request);
    expect(imported.ok).toBe(false);
    expect(imported.lines[0]).toMatch(/^.*leads\.csv: 1 created, 0 updated, 1 rejected \(import [0-9a-f-]{36}, done\)$/);
    expect(imported.lines[1]).toMatch(/^ {2}line 3: invalid lead: email: /);

    const out = join(dir, "out.csv");
    const exported = await runCommand(env, parseCommand(["leads", "export", "--out", out]));
    expect(exported.lines[0]).toMatch(/^exported leads to .*out\.csv \(\d[\d,]* bytes\)$/);
    const text = readFileSync(out, "utf8");
    expect(text).toContain("anna@example.com");
    expect(text).toContain("'=Anna");
  });

  it("refuses unknown options and missing files with the reason", () => {
    expect(() => parseCommand(["leads", "import", join(dir, "none.csv")])).toThrow(/no such file/);
    writeFileSync(join(dir, "x.csv"), "email\n");
    expect(() => parseCommand(["leads", "import", join(dir, "x.csv"), "--delimiter", "|"])).toThrow(/--delimiter/);
    expect(parseCommand(["leads", "import", join(dir, "x.csv"), "--delimiter", "tab"])).toMatchObject({ delimiter: "\t" });
  });
});

describe("ImportProgress", () => {
  it("says rows, share, rate and ETA", () => {
    const view = (rowsRead: number, bytesRead: number) => ({ rowsRead, bytesRead, sizeBytes: 1000, created: rowsRead, updated: 0, rejected: 0 }) as LeadImportView;
    const progress = new ImportProgress({ write: () => true }, 0);
    const start = Date.now();
    progress.line(view(0, 0), start);
    expect(progress.line(view(500, 250), start + 10_000)).toMatch(/^500 rows \(25%\) · \d+ rows\/s · ETA 0:\d\d · 500 created, 0 updated, 0 rejected$/);
  });
});
