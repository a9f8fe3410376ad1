/** Shared by the consumer tests: a scoring flow, events appended unscored, workers, and the exactly-once checks. */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { sql, type Database } from "@leadflow/db";
import { appendEvents, FlowCache, publishFlow, saveFlowDraft, type RuntimeDeps } from "@leadflow/runtime";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const worker = fileURLToPath(new URL("./consumer-worker.ts", import.meta.url));

export function depsFor(db: Database["db"]): RuntimeDeps {
  return { db, clock: { now: () => new Date() }, config: { publicUrl: "http://leadflow.test", mailFrom: "Leadflow <hello@leadflow.test>" }, newId: randomUUID, flows: new FlowCache() };
}

/** One point per page view, every time: ledger rows = scored events. */
export async function publishCounter(db: Database["db"]): Promise<void> {
  await saveFlowDraft(db, "count", {
    id: "count", name: "Count", reentry: "always",
    nodes: [
      { id: "t", type: "trigger.event", config: { eventType: "page_view" } },
      { id: "p", type: "score.add", config: { points: 1 } },
    ],
    edges: [{ from: "t", to: "p" }],
  });
  await publishFlow(db, "count");
}

/** Appends `total` page views over `leads` leads (stored, not scored), each lead's in time order; returns their ids. */
export async function appendViews(deps: RuntimeDeps, leads: number, total: number, tag: string): Promise<string[]> {
  const base = Date.now() - 3_600_000;
  const ids: string[] = [];
  for (let i = 0; i < total; i += 500) {
    const batch = Array.from({ length: Math.min(500, total - i) }, (_, j) => {
      const n = i + j;
      return { id: `${tag}-${n}`, email: `lead${n % leads}@${tag}.test`, type: "page_view", occurredAt: new Date(base + n * 1000).toISOString() };
    });
    const r = await appendEvents(deps, batch);
    expect(r.errors).toEqual([]);
    ids.push(...r.queued.eventIds);
  }
  return ids;
}

export async function queued(db: Database["db"]): Promise<number> {
  return Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_queue`.execute(db)).rows[0]!.n);
}

/** Every event scored exactly once (one ledger row each), each lead's in time order. */
export async function expectScoredOnce(db: Database["db"], eventIds: string[]): Promise<void> {
  const rows = (await sql<{ event_id: string; lead_id: string; at: Date }>`SELECT event_id, lead_id, at FROM score_ledger WHERE reason = 'flow' ORDER BY id`.execute(db)).rows;
  expect(rows.length).toBe(eventIds.length);
  expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(eventIds));
  const last = new Map<string, number>();
  for (const r of rows) {
    const t = new Date(r.at).getTime();
    expect(t).toBeGreaterThanOrEqual(last.get(r.lead_id) ?? 0);
    last.set(r.lead_id, t);
  }
  const leads = (await sql<{ bad: number }>`SELECT count(*)::int AS bad FROM leads l
    WHERE l.engagement > (SELECT count(*) FROM score_ledger s WHERE s.lead_id = l.id) + 1e-9`.execute(db)).rows[0]!;
  expect(Number(leads.bad)).toBe(0);
}

export interface Worker {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr(): string;
}

/** Starts a consumer process (node with tsx's loader: one process, so SIGKILL kills the consumer itself). */
export async function startWorker(url: string, owner: string): Promise<Worker> {
  const child = spawn(process.execPath, ["--import", "tsx", worker, owner], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d) => (err += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += String(d);
      if (out.includes("ready")) resolve();
    });
    void exited.then((code) => reject(new Error(`worker exited ${code} before it was ready: ${err}`)));
  });
  return { child, exited, stderr: () => err };
}

/** Polls until `done` holds (bounded). */
export async function until(done: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
