#!/usr/bin/env node
// `pnpm dev`: the watch loop. The server runs from its TypeScript through `tsx watch` (restarts
// on every change, serving the last web build at :PORT); the web app runs on Vite's dev server
// (http://localhost:5173, hot reload, /api and /trpc proxied to the server). Ctrl-C stops both.
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const children = [
  spawn("pnpm", ["exec", "tsx", "watch", "apps/server/src/main.ts"], { cwd: root, stdio: "inherit" }),
  spawn("pnpm", ["--filter", "@leadflow/web", "dev"], { cwd: root, stdio: "inherit" }),
];
const stop = (signal) => children.forEach((c) => c.exitCode === null && c.kill(signal));
process.once("SIGINT", () => stop("SIGINT"));
process.once("SIGTERM", () => stop("SIGTERM"));
let left = children.length;
for (const c of children) {
  c.on("exit", (code) => {
    stop("SIGTERM"); // one ending ends the loop
    if (--left === 0) process.exit(code ?? 0);
  });
}
