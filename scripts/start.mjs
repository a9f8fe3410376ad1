#!/usr/bin/env node
// `pnpm start`: runs the built server (apps/server/dist/main.js) with plain Node. With no build
// yet, or sources newer than the build (a `git pull` without `pnpm build`), it builds first and
// says so, so `pnpm install && pnpm start` works for a first look and never runs stale code.
// Sources absent (an image holding only the build) count as unchanged.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const serverEntry = join(root, "apps/server/dist/main.js");
const buildInfo = join(root, "apps/server/dist/build.json");
const webIndex = join(root, "apps/web/dist/index.html");

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0; // absent: not newer than anything
  }
};

function newestUnder(dir, newest = 0) {
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = entry.isDirectory() ? newestUnder(path, newest) : Math.max(newest, mtime(path));
  }
  return newest;
}

/** Why a build is needed, or undefined when the build is there and newer than its sources. */
function staleReason() {
  if (!existsSync(serverEntry) || !existsSync(buildInfo)) return "no server build yet";
  if (!existsSync(webIndex)) return "no web build yet";
  const info = JSON.parse(readFileSync(buildInfo, "utf8"));
  const serverBuilt = mtime(buildInfo);
  const changed = info.inputs.find((p) => mtime(join(root, p)) > serverBuilt);
  if (changed) return `${changed} changed since the last build`;
  const web = join(root, "apps/web");
  const webInputs = Math.max(newestUnder(join(web, "src")), mtime(join(web, "index.html")), mtime(join(web, "vite.config.ts")));
  if (webInputs > mtime(webIndex)) return "the web app changed since the last build";
  return undefined;
}

const reason = staleReason();
if (reason) {
  console.error(`leadflow: ${reason}: building first (pnpm build)`);
  const build = await import("./build.mjs");
  build.buildWeb();
  await build.buildServer();
}
process.setSourceMapsEnabled(true); // stack traces name the TypeScript sources
await import(pathToFileURL(serverEntry).href);
