#!/usr/bin/env node
// `pnpm build`: the web app (vite) and the server (esbuild, one bundle per entry) once, so that
// `pnpm start` runs plain Node with no TypeScript compiler and no web build at start-up.
//
// The server bundle holds the workspace's own TypeScript (@leadflow/*, which has no build of its
// own); every other package stays external, imported from node_modules at the path esbuild
// resolved it to, written relative to the bundle (pnpm keeps each package's dependencies
// beside it, so the server's directory alone would not find packages/db's `pg`).
// `new URL("<relative path>", import.meta.url)` in a bundled file is rewritten to the same
// file seen from the bundle, so assets (the snippet, the web app's dist) are found where they are.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const serverOut = join(root, "apps/server/dist");

/** esbuild is not a direct dependency of the workspace: it is tsx's (and vite's), so it is loaded through tsx. */
async function loadEsbuild() {
  const tsx = realpathSync(join(root, "node_modules/tsx"));
  const path = createRequire(join(tsx, "package.json")).resolve("esbuild");
  return import(pathToFileURL(path).href);
}

/** `path` as an import specifier from a file in `outDir`. */
const importFrom = (outDir, path) => {
  const rel = relative(outDir, path).split("\\").join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
};

const externalsBesideTheBundle = (outDir) => ({
  name: "externals-beside-the-bundle",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === "resolving" || args.path.startsWith("@leadflow/") || args.path.startsWith("node:")) return undefined;
      const r = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: "resolving" });
      if (r.errors.length > 0) return { errors: r.errors };
      if (!r.path.includes("/node_modules/")) return undefined; // a Node built-in without its prefix
      return { path: importFrom(outDir, r.path), external: true };
    });
  },
});

const URL_ASSET = /new URL\(\s*(["'])(\.{1,2}\/[^"']+)\1\s*,\s*import\.meta\.url\s*\)/g;

const assetsWhereTheyAre = (outDir) => ({
  name: "assets-where-they-are",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes("/node_modules/")) return undefined;
      const source = readFileSync(args.path, "utf8");
      const contents = source.replace(URL_ASSET, (_m, q, rel) => `new URL(${q}${importFrom(outDir, resolve(dirname(args.path), rel))}${q}, import.meta.url)`);
      return { contents, loader: "ts" };
    });
  },
});

/** Bundles the server's entries (main.js, cli.js) into `outDir`; returns how many source files went in. */
export async function buildServer(outDir = serverOut) {
  const esbuild = await loadEsbuild();
  mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { main: join(root, "apps/server/src/main.ts"), cli: join(root, "apps/server/src/cli.ts") },
    outdir: outDir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    plugins: [externalsBesideTheBundle(outDir), assetsWhereTheyAre(outDir)],
    banner: { js: 'import { createRequire as __leadflowRequire } from "node:module"; const require = __leadflowRequire(import.meta.url);' },
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(root, resolve(root, p)));
  writeFileSync(join(outDir, "build.json"), `${JSON.stringify({ builtAt: new Date().toISOString(), inputs }, null, 1)}\n`);
  return inputs.length;
}

export function buildWeb() {
  const r = spawnSync("pnpm", ["--filter", "@leadflow/web", "build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error(`the web build failed (exit ${r.status ?? r.signal})`);
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  buildWeb();
  const files = await buildServer();
  console.log(`built the web app (apps/web/dist) and the server (apps/server/dist, ${files} source files) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
