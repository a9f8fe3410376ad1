/**
 * The server as a child process (`node --import tsx apps/server/src/main.ts`), so the bench can
 * read the server's own resident memory from /proc/<pid>/status and the bench's client work does
 * not share the server's event loop.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../apps/server/src/main.ts", import.meta.url));
const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const START_TIMEOUT_MS = 60_000;

export interface ServerProcess {
  url: string;
  pid: number;
  /** resident set size now, in MiB (VmRSS) */
  rssMiB(): number;
  /** samples RSS every `everyMs` until the returned stop() is called; stop() gives the largest sample */
  sampleRss(everyMs?: number): () => number;
  stop(): Promise<void>;
}

function readRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}

/** Starts the server with these settings (on top of PORT=0, HOST=127.0.0.1, LOG_LEVEL=silent) and waits until it listens. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", MAIN], {
    cwd: BENCH_DIR, // resolves tsx from the bench package
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in ${START_TIMEOUT_MS} ms: ${output.slice(-2000)}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-10_000); // the tail is enough for an error message
      const m = /\((http:\/\/127\.0\.0\.1:\d+)\)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before listening: ${output.slice(-2000)}`));
    });
  });
  const pid = child.pid!;
  let stopped = false;
  return {
    url,
    pid,
    rssMiB: () => readRssMiB(pid),
    sampleRss(everyMs = 200) {
      let max = readRssMiB(pid);
      const timer = setInterval(() => {
        try {
          max = Math.max(max, readRssMiB(pid));
        } catch {
          /* the process ended */
        }
      }, everyMs);
      return () => {
        clearInterval(timer);
        return max;
      };
    },
    async stop() {
      if (stopped || child.exitCode !== null) return;
      stopped = true;
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const forced = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(forced);
    },
  };
}
