import cron, { type Logger as CronLogger, type ScheduledTask } from "node-cron";
import type { FastifyBaseLogger } from "fastify";

/** What /readyz reports about this process's scheduler. */
export interface SchedulerCheck {
  ok: boolean;
  detail: string;
}

export interface TickLoop {
  /** whether the scheduler has started a tick recently enough (a hung tick turns this false) */
  status(nowMs?: number): SchedulerCheck;
  /** stops firing; resolves once a tick that is running has finished */
  stop(): Promise<void>;
}

export interface TickLoopOptions {
  expression: string;
  /** one tick; errors are logged and the loop carries on */
  run(): Promise<void>;
  log: FastifyBaseLogger;
  /** called after each tick with its duration and outcome */
  observe?(seconds: number, outcome: "ok" | "failed"): void;
}

/** node-cron's own messages (overlap, missed runs, its errors) as JSON log lines, not coloured console text. */
export function cronLogger(log: FastifyBaseLogger): CronLogger {
  const child = log.child({ component: "node-cron" });
  const withErr = (level: "error" | "debug") => (message: string | Error, err?: Error) =>
    message instanceof Error ? child[level]({ err: message }, message.message) : child[level](err ? { err } : {}, message);
  return { info: (m) => child.info(m), warn: (m) => child.warn(m), error: withErr("error"), debug: withErr("debug") };
}

/** The longest gap between the next few occurrences of the expression (a weekday-only cron has long ones). */
function longestGapMs(task: ScheduledTask): number {
  const runs = task.getNextRuns(6).map((d) => d.getTime());
  let gap = 1000;
  for (let i = 1; i < runs.length; i++) gap = Math.max(gap, runs[i]! - runs[i - 1]!);
  return gap;
}

/**
 * Drives `run` with node-cron. Overlap is node-cron's own `noOverlap` (a fire while a tick runs
 * is skipped and logged); node-cron fires in every process, the work is claimed in the database.
 * Stopping waits for the running tick, so shutdown never cuts a tick's transaction in half.
 */
export function startTickLoop(options: TickLoopOptions): TickLoop {
  const { log } = options;
  const startedAt = Date.now();
  let lastStarted: number | undefined;
  let lastError: string | undefined;
  let running: Promise<void> | undefined;

  const once = async () => {
    const t0 = Date.now();
    lastStarted = t0;
    let outcome: "ok" | "failed" = "ok";
    try {
      await options.run();
      lastError = undefined;
    } catch (e) {
      outcome = "failed";
      lastError = e instanceof Error ? e.message : String(e);
      log.error({ err: e }, "scheduler tick failed");
    } finally {
      options.observe?.((Date.now() - t0) / 1000, outcome);
    }
  };
  const task = cron.schedule(
    options.expression,
    () => {
      running = once().finally(() => (running = undefined));
      return running;
    },
    { name: "leadflow-tick", noOverlap: true, logger: cronLogger(log) },
  );
  // a tick is due at least every gap; two gaps and a margin without one starting means it is stuck or not firing
  const staleAfterMs = 2 * longestGapMs(task) + 30_000;

  return {
    status(nowMs = Date.now()) {
      const since = lastStarted ?? startedAt;
      const ago = Math.round((nowMs - since) / 1000);
      const last = lastStarted === undefined ? "no tick yet" : `last tick started ${ago} s ago`;
      const busy = running ? ", running" : "";
      const failed = lastError ? `, last tick failed: ${lastError}` : "";
      const ok = nowMs - since <= staleAfterMs;
      return { ok, detail: `${ok ? "" : `no tick for over ${Math.round(staleAfterMs / 1000)} s: `}${last}${busy}${failed}` };
    },
    async stop() {
      await task.stop();
      await running;
    },
  };
}
