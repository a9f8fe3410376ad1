import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@leadflow/db/testing";
import { startSmtpSink } from "./testing/smtp-sink.js";

const JOBS = 1000;
const MAX_KILLS = 20;
const LEASE_MS = 5 * 60_000;
const root = fileURLToPath(new URL("../../../", import.meta.url));
const worker = fileURLToPath(new URL("./testing/delivery-worker.ts", import.meta.url));

describe("delivery survives SIGKILL at random moments (PostgreSQL, separate processes)", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.close();
    await database?.close();
  });

  it(`delivers each of ${JOBS} jobs, every Message-ID at least once, a repeat only where a kill fell between the server's 250 and the commit`, async () => {
    const db = database.db;
    await db.insertInto("templates").values({ id: "hello", subject: "Hello {{ lead.n }}", html: "<p>Hello {{ lead.n }}</p>", text: null }).execute();
    const leads = Array.from({ length: JOBS }, (_, i) => ({ id: randomUUID(), n: i }));
    const now = new Date();
    for (let i = 0; i < JOBS; i += 500) {
      const part = leads.slice(i, i + 500);
      await db
        .insertInto("leads")
        .values(part.map((l) => ({ id: l.id, email: `lead${l.n}@crash.test`, email_lower: `lead${l.n}@crash.test`, tier: "Cold", properties: JSON.stringify({ n: l.n }) })))
        .execute();
      await db
        .insertInto("outbox_jobs")
        .values(part.map((l) => ({
          id: randomUUID(), lead_id: l.id, run_id: randomUUID(), flow_id: "crash", node_id: "mail", job_type: "email",
          payload: JSON.stringify({ templateId: "hello" }), next_attempt_at: now,
        })))
        .execute();
    }

    const t0 = Date.now();
    let kills = 0;
    let runs = 0;
    let offset = 0;
    const left = async () =>
      Number((await db.selectFrom("outbox_jobs").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "!=", "sent").executeTakeFirstOrThrow()).n);
    while ((await left()) > 0 && runs < MAX_KILLS + 5) {
      runs++;
      // node itself with tsx's loader: one process, so SIGKILL kills the worker (the tsx CLI would leave its child running)
      const child = spawn(process.execPath, ["--import", "tsx", worker, String(offset)], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: database.url, SMTP_URL: `${sink.url}?pool=true`, SECRET: "s".repeat(32), LOG_LEVEL: "silent" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr!.on("data", (d) => (stderr += String(d)));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      await ready(child, exited);
      if (kills < MAX_KILLS) {
        await new Promise((r) => setTimeout(r, Math.random() * 1000));
        if (child.exitCode === null) {
          child.kill("SIGKILL");
          kills++;
        }
        await exited;
      } else {
        const code = await exited;
        expect(code, stderr).toBe(0);
      }
      // the next worker's clock is past the leases the killed one held
      offset += LEASE_MS + 1000;
    }

    const jobs = await db.selectFrom("outbox_jobs").select(["id", "status", "attempts", "message_id"]).execute();
    expect(jobs.filter((j) => j.status !== "sent")).toEqual([]);
    const expected = new Set(jobs.map((j) => `<${j.id}@leadflow.test>`));
    const counts = new Map<string, number>();
    for (const m of sink.received) counts.set(m.messageId ?? "none", (counts.get(m.messageId ?? "none") ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1);
    const attempts = new Map(jobs.map((j) => [`<${j.id}@leadflow.test>`, j.attempts]));
    const started = Date.now() - t0;
    console.log(`crash test: ${Math.round(started / 1000)} s, ${runs} worker runs, ${kills} SIGKILLs, ${sink.received.length} messages received, ${counts.size} distinct Message-IDs, ${repeated.length} repeated`);

    // every job reached the server, under its own Message-ID, and nothing else did
    expect(counts.size).toBe(JOBS);
    expect([...counts.keys()].every((id) => expected.has(id))).toBe(true);
    // a repeat needs a kill in the send window, so at most one per kill, and only for a job tried again
    expect(repeated.length).toBeLessThanOrEqual(kills);
    for (const [id] of repeated) expect(attempts.get(id)).toBeGreaterThan(1);
    expect(kills).toBeGreaterThan(0);
  }, 300_000);
});

function ready(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += String(d);
      if (out.includes("ready")) resolve();
    });
    exited.then((code) => (out.includes("ready") ? resolve() : code === 0 ? resolve() : reject(new Error(`worker exited ${code} before it was ready`))));
  });
}
