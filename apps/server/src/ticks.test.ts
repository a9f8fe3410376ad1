import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { cronLogger, startTickLoop } from "./ticks.js";

/** A logger writing JSON lines into `lines`, as the server's does to stdout. */
function capture() {
  const lines: string[] = [];
  const app = Fastify({ logger: { level: "debug", stream: { write: (l: string) => void lines.push(l) } } });
  return { log: app.log, lines };
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("the tick loop (node-cron)", () => {
  it("lets a running tick finish before stop() resolves", { timeout: 30_000 }, async () => {
    const { log } = capture();
    const started = gate();
    const release = gate();
    const order: string[] = [];
    const loop = startTickLoop({
      expression: "* * * * * *",
      log,
      async run() {
        started.open();
        await release.opened;
        order.push("tick finished");
      },
    });
    await started.opened;
    expect(loop.status().detail).toMatch(/running/);
    const stopping = loop.stop().then(() => order.push("stopped"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]); // still waiting for the tick
    release.open();
    await stopping;
    expect(order).toEqual(["tick finished", "stopped"]);
  });

  it("never runs two ticks at once (noOverlap); the skipped fire is a JSON log line, not coloured text", { timeout: 30_000 }, async () => {
    const { log, lines } = capture();
    let active = 0;
    let most = 0;
    let runs = 0;
    const overlapped = gate();
    const loop = startTickLoop({
      expression: "* * * * * *",
      log,
      async run() {
        runs++;
        active++;
        most = Math.max(most, active);
        // the first tick outlasts the next fire; it ends once node-cron has logged the skip
        if (runs === 1) await overlapped.opened;
        active--;
      },
    });
    for (let i = 0; i < 100 && !lines.some((l) => l.includes("overlap prevention")); i++) await new Promise((r) => setTimeout(r, 50));
    overlapped.open();
    await loop.stop();
    expect(most).toBe(1);
    const skip = lines.find((l) => l.includes("overlap prevention"));
    expect(skip, lines.join("")).toBeDefined();
    expect(JSON.parse(skip!)).toMatchObject({ level: 40, component: "node-cron" });
    expect(lines.join("")).not.toMatch(/\x1b\[/);
  });

  it("says the scheduler is stale when no tick started for two gaps and a margin, and reports a failed tick", { timeout: 30_000 }, async () => {
    const { log } = capture();
    const ran = gate();
    const loop = startTickLoop({
      expression: "* * * * * *",
      log,
      async run() {
        ran.open();
        throw new Error("database gone");
      },
    });
    await ran.opened;
    await loop.stop();
    const now = Date.now();
    expect(loop.status(now)).toMatchObject({ ok: true, detail: expect.stringMatching(/last tick failed: database gone/) });
    expect(loop.status(now + 33_000)).toMatchObject({ ok: false, detail: expect.stringMatching(/^no tick for over 32 s/) });
  });

  it("routes node-cron's error messages with their error object", () => {
    const { log, lines } = capture();
    cronLogger(log).error("Task failed with error!", new Error("boom"));
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 50, component: "node-cron", msg: "Task failed with error!", err: { message: "boom" } });
  });
});

describe("SCHEDULER_CRON", () => {
  it("is checked by node-cron when the configuration is read, not when the first tick would fire", async () => {
    const { loadEnv } = await import("./env.js");
    expect(loadEnv({ SCHEDULER_CRON: "*/2 * * * * *" }).SCHEDULER_CRON).toBe("*/2 * * * * *");
    expect(() => loadEnv({ SCHEDULER_CRON: "every minute" })).toThrow(/SCHEDULER_CRON: SCHEDULER_CRON is not a cron expression/);
  });
});
