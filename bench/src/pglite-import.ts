/**
 * PGlite's longest event-loop stall during a leads import: a server on embedded PGlite (a child
 * process owning a fresh data directory) imports a CSV the way `pnpm leadflow leads import` sends
 * it to a running server, with the data directory's control token (the streamed import routes
 * when the server has them, else the CLI command carrying the whole CSV), while a client asks
 * `/healthz` back to back. The longest /healthz answer is the stall (it includes one
 * loopback round trip, well under a millisecond).
 */
import { createHash } from "node:crypto";
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

interface ImportView {
  status: string;
  created: number;
  updated: number;
  rejected: number;
  error?: string | null;
}

/**
 * The streamed import routes (issue 15: POST /api/v1/lead-imports, PUT …/file, GET … until done),
 * with the CLI's control token; undefined when the server has no such routes (404).
 */
async function importStreamed(base: string, token: string, csv: string): Promise<string[] | undefined> {
  const call = async (method: string, path: string, body?: string, type = "application/json") => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method, body, headers: { "x-leadflow-control": token, ...(body === undefined ? {} : { "content-type": type }) },
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const bytes = Buffer.from(csv, "utf8");
  const fingerprint = createHash("sha256").update(bytes.subarray(0, 64 * 1024)).digest("hex");
  const started = await call("POST", "/lead-imports", JSON.stringify({ fileName: "bench.csv", fingerprint, sizeBytes: bytes.length, restart: true }));
  if (started.status === 404) return undefined;
  if (started.status >= 300) throw new Error(`POST /lead-imports answered ${started.status}: ${JSON.stringify(started.body).slice(0, 300)}`);
  const id = (started.body.import as { id: string }).id;
  const upload = await call("PUT", `/lead-imports/${id}/file`, csv, "text/csv");
  if (upload.status >= 300) throw new Error(`PUT /lead-imports/${id}/file answered ${upload.status}: ${JSON.stringify(upload.body).slice(0, 300)}`);
  for (;;) {
    const view = (await call("GET", `/lead-imports/${id}`)).body as unknown as ImportView;
    if (view.status === "done") return [`streamed import: ${view.created} created, ${view.updated} updated, ${view.rejected} rejected`];
    if (view.status === "failed") throw new Error(`the import failed: ${view.error ?? "?"}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The whole CSV in one request, as `pnpm leadflow leads import` sends it to a running server before streamed imports. */
async function importThroughCli(base: string, token: string, csv: string): Promise<string[]> {
  const res = await fetch(`${base}/internal/cli`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-leadflow-control": token },
    body: JSON.stringify({ command: "leads.import", file: "bench.csv", csv }),
  });
  const body = (await res.json()) as { ok?: boolean; lines?: string[] };
  if (!res.ok || body.ok !== true) throw new Error(`the import answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return ["CLI command (whole CSV in one request)", ...(body.lines ?? [])];
}

export async function runImportStall(opts: { rows: number; log: (line: string) => void }): Promise<ImportStallResult> {
  const dataDir = mkdtempSync(join(tmpdir(), "leadflow-bench-"));
  const server = await startServerProcess({ DATA_DIR: dataDir, SCHEDULER: "off" });
  try {
    const owner = await ownerOf(dataDir);
    const csv = importCsv(opts.rows);
    opts.log(`  ${opts.rows} rows (${(csv.length / 2 ** 20).toFixed(1)} MiB) into PGlite, /healthz asked back to back`);
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
      lines = (await importStreamed(owner.url, owner.controlToken, csv)) ?? (await importThroughCli(owner.url, owner.controlToken, csv));
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
