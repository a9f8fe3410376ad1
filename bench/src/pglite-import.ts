/**
 * PGlite's longest event-loop stall during a leads import: a server on embedded PGlite (a child
 * process owning a fresh data directory) imports a CSV the way `pnpm leadflow leads import` sends
 * it to a running server (POST /internal/cli with the data directory's control token), while a
 * client asks `/healthz` back to back. The longest /healthz answer is the stall (it includes one
 * loopback round trip, well under a millisecond).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readDataDirOwner } from "@leadflow/db";
import { startServerProcess } from "./server-process.js";
import { now, percentile } from "./stats.js";

export interface ImportStallResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  pings: number;
  stallMs: { p50: number; p99: number; max: number };
  /** what the import answered */
  lines: string[];
}

const COUNTRIES = ["HU", "AT", "DE", "US", "FR", "GB"];

export function importCsv(rows: number): string {
  const lines = ["email,firstName,country"];
  for (let i = 0; i < rows; i++) lines.push(`import${i}@bench.example,N${i % 997},${COUNTRIES[i % COUNTRIES.length]}`);
  return `${lines.join("\n")}\n`;
}

async function ownerOf(dataDir: string): Promise<{ url: string; controlToken: string }> {
  for (let i = 0; i < 100; i++) {
    const owner = readDataDirOwner(dataDir);
    if (owner?.url && owner.controlToken) return { url: owner.url, controlToken: owner.controlToken };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no server recorded in ${dataDir}'s lock file`);
}

export async function runImportStall(opts: { rows: number; log: (line: string) => void }): Promise<ImportStallResult> {
  const dataDir = mkdtempSync(join(tmpdir(), "leadflow-bench-"));
  const server = await startServerProcess({ DATA_DIR: dataDir, SCHEDULER: "off" });
  try {
    const owner = await ownerOf(dataDir);
    const csv = importCsv(opts.rows);
    opts.log(`  ${opts.rows} rows (${(csv.length / 2 ** 20).toFixed(1)} MiB) into PGlite through /internal/cli, /healthz asked back to back`);
    let importing = true;
    const pings: number[] = [];
    const pinger = (async () => {
      while (importing) {
        const t0 = now();
        const res = await fetch(`${owner.url}/healthz`);
        await res.text();
        if (!res.ok) throw new Error(`/healthz answered ${res.status} during the import`);
        pings.push(now() - t0);
      }
    })();
    const started = now();
    let lines: string[];
    try {
      const res = await fetch(`${owner.url}/internal/cli`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-leadflow-control": owner.controlToken },
        body: JSON.stringify({ command: "leads.import", file: "bench.csv", csv }),
      });
      const body = (await res.json()) as { ok?: boolean; lines?: string[]; error?: { message: string } };
      if (!res.ok || body.ok !== true) throw new Error(`the import answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
      lines = body.lines ?? [];
    } finally {
      importing = false;
    }
    const seconds = (now() - started) / 1000;
    await pinger;
    pings.sort((a, b) => a - b);
    return {
      rows: opts.rows,
      seconds,
      rowsPerSecond: opts.rows / seconds,
      pings: pings.length,
      stallMs: { p50: percentile(pings, 50), p99: percentile(pings, 99), max: pings[pings.length - 1] ?? Number.NaN },
      lines,
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
