// Docker is not available on the machines that run these tests: this keeps Dockerfile,
// compose.yaml, .dockerignore and .env.example consistent with the code they package.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// dotenv is the server's dependency (the root has no link to it): the parser env.ts uses
const { parse: parseDotEnv } = createRequire(join(root, "apps/server/package.json"))("dotenv") as typeof import("dotenv");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const rootPackage = JSON.parse(read("package.json")) as { scripts: Record<string, string>; packageManager: string; engines: { node: string } };

type Instruction = { op: string; args: string; stage: number };

/** The Dockerfile's instructions, continuation lines joined, comments dropped, each with its stage's index. */
function dockerfile(): Instruction[] {
  const joined = read("Dockerfile").replace(/\\\n/g, " ");
  const out: Instruction[] = [];
  let stage = -1;
  for (const line of joined.split("\n")) {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) continue;
    const [, op = "", args = ""] = /^(\S+)\s*(.*)$/.exec(t) ?? [];
    if (op.toUpperCase() === "FROM") stage++;
    out.push({ op: op.toUpperCase(), args, stage });
  }
  return out;
}

/** The variables EnvSchema in apps/server/src/env.ts declares (its top-level keys). */
function envVariables(): string[] {
  const source = read("apps/server/src/env.ts");
  const body = source.slice(source.indexOf("const EnvSchema = z.object({"), source.indexOf("\n});", source.indexOf("const EnvSchema")));
  return [...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!).sort();
}

/** Each shell command of a RUN line (split at && ; |). */
const commands = (run: string) => run.split(/&&|;|\|\||\|/).map((c) => c.trim()).filter(Boolean);

describe("Dockerfile", () => {
  const steps = dockerfile();
  const stages = steps.filter((s) => s.op === "FROM");
  const last = stages.length - 1;
  const runtime = steps.filter((s) => s.stage === last);

  it("is multi-stage, on the Node and pnpm versions the project states, and runs as a non-root user", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.args).toMatch(/^node:\$\{NODE_VERSION\}-\S*slim AS \w+/);
    const nodeArg = /^NODE_VERSION=(\d+)/.exec(steps.find((s) => s.op === "ARG")?.args ?? "")?.[1];
    expect(Number(nodeArg)).toBeGreaterThanOrEqual(Number(/(\d+)/.exec(rootPackage.engines.node)![1]));
    const pnpm = rootPackage.packageManager.replace("pnpm@", "");
    expect(steps.some((s) => s.op === "RUN" && s.args.includes(`pnpm@${pnpm}`))).toBe(true);
    const user = runtime.filter((s) => s.op === "USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    // the runtime stage installs nothing and compiles nothing
    expect(runtime.filter((s) => s.op === "RUN").flatMap((s) => commands(s.args)).filter((c) => /^(pnpm|npm|npx|tsx|tsc)\b/.test(c))).toEqual([]);
  });

  it("runs only pnpm commands and package.json scripts that exist", () => {
    const builtins = new Set(["install", "fetch"]);
    const pnpmCommands = steps.filter((s) => s.op === "RUN").flatMap((s) => commands(s.args)).filter((c) => c.startsWith("pnpm "));
    expect(pnpmCommands.length).toBeGreaterThan(0);
    for (const c of pnpmCommands) {
      const words = c.split(/\s+/).slice(1).filter((w, i, all) => !w.startsWith("-") && all[i - 1] !== "--filter");
      const name = words[0]!;
      if (!builtins.has(name)) expect(Object.keys(rootPackage.scripts), c).toContain(name);
    }
    expect(pnpmCommands).toContain("pnpm build");
    const cmd = JSON.parse(runtime.find((s) => s.op === "CMD")!.args) as string[];
    expect(cmd.join(" ")).toBe(rootPackage.scripts.start); // the image starts as `pnpm start` does
  });

  it("copies into the runtime image what the bundle reads beside itself, and the build writes those paths", () => {
    const copied = runtime.filter((s) => s.op === "COPY").map((s) => /--from=build\s+\/\w+\/(\S+)\s+(\S+)/.exec(s.args)).filter((m) => m !== null);
    const sources = copied.map((m) => m[1]!);
    for (const [, from, to] of copied) if (!from!.startsWith("node_modules")) expect(to!.replace(/^\.\//, "")).toBe(from); // same layout as the repo
    const built = ["apps/server/dist", "apps/web/dist"];
    expect(read("scripts/build.mjs")).toContain('join(root, "apps/server/dist")');
    for (const path of sources.filter((p) => !built.includes(p) && p !== "node_modules")) expect(existsSync(join(root, path)), path).toBe(true);
    expect(sources).toEqual(expect.arrayContaining([...built, "node_modules", "package.json", "scripts/start.mjs"]));
    // every file the server finds with new URL("…", import.meta.url) is inside something copied
    for (const asset of serverAssets()) expect(sources.some((s) => asset === s || asset.startsWith(`${s}/`)), asset).toBe(true);
  });

  it("checks its health at /healthz, a route the server has", () => {
    const health = runtime.find((s) => s.op === "HEALTHCHECK")?.args ?? "";
    expect(health).toContain("/healthz");
    expect(read("apps/server/src/http/health.ts")).toMatch(/app\.get\("\/healthz"/);
    // every workspace manifest is at the depth the production install's glob copies
    const globs = (parseYaml(read("pnpm-workspace.yaml")) as { packages: string[] }).packages;
    for (const g of globs) expect(g.split("/").length, g).toBeLessThanOrEqual(2);
  });
});

/** Files (repo-relative) the server's non-test sources open with new URL("./…", import.meta.url). */
function serverAssets(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== "node_modules" && name !== "testing" && name !== "client") walk(path);
      } else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) {
        for (const m of readFileSync(path, "utf8").matchAll(/new URL\(\s*["'](\.{1,2}\/[^"']+)["']\s*,\s*import\.meta\.url\s*\)/g)) {
          found.push(relative(root, resolve(dirname(path), m[1]!)));
        }
      }
    }
  };
  walk(join(root, "apps/server/src"));
  for (const pkg of readdirSync(join(root, "packages"))) walk(join(root, "packages", pkg, "src"));
  return found;
}

describe("compose.yaml", () => {
  type Service = {
    image?: string;
    build?: unknown;
    environment?: Record<string, string>;
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: { test: string[] | string };
    ports?: string[];
  };
  const compose = parseYaml(read("compose.yaml")) as { services: Record<string, Service> };
  const { leadflow, postgres, mailpit } = compose.services;

  it("runs Leadflow built from this Dockerfile with PostgreSQL and a local SMTP catcher", () => {
    expect(leadflow?.build).toBe(".");
    expect(postgres?.image).toMatch(/^postgres:\d+/);
    expect(mailpit?.image).toMatch(/^axllent\/mailpit:/);
    const db = new URL(leadflow!.environment!.DATABASE_URL!);
    expect(db.hostname).toBe("postgres");
    expect([db.username, db.password, db.pathname.slice(1)]).toEqual([
      postgres!.environment!.POSTGRES_USER,
      postgres!.environment!.POSTGRES_PASSWORD,
      postgres!.environment!.POSTGRES_DB,
    ]);
    expect(new URL(leadflow!.environment!.SMTP_URL!).hostname).toBe("mailpit");
    expect(leadflow!.ports).toContain(`\${PORT:-3000}:${leadflow!.environment!.PORT}`);
  });

  it("gives every service a health check and starts Leadflow once its dependencies are healthy", () => {
    for (const [name, service] of Object.entries(compose.services)) expect(service.healthcheck?.test, name).toBeDefined();
    expect(JSON.stringify(leadflow!.healthcheck!.test)).toContain("/readyz");
    expect(read("apps/server/src/http/health.ts")).toMatch(/app\.get\("\/readyz"/);
    const others = Object.keys(compose.services).filter((n) => n !== "leadflow").sort();
    expect(Object.keys(leadflow!.depends_on ?? {}).sort()).toEqual(others);
    for (const d of Object.values(leadflow!.depends_on!)) expect(d.condition).toBe("service_healthy");
  });

  it("sets only variables Leadflow reads", () => {
    const known = envVariables();
    for (const key of Object.keys(leadflow!.environment!)) expect(known, key).toContain(key);
  });
});

describe(".env.example and .dockerignore", () => {
  it(".env.example lists exactly the variables env.ts reads, and its values load", async () => {
    const example = parseDotEnv(read(".env.example"));
    expect(Object.keys(example).sort()).toEqual(envVariables());
    const { loadEnv } = await import("../apps/server/src/env.js");
    const env = loadEnv(example);
    expect([env.PORT, env.DATABASE_URL, env.SECRET, env.TRUST_PROXY]).toEqual([3000, undefined, undefined, false]);
  });

  it("keeps installed packages, builds, data and secrets out of the build context", () => {
    const ignored = read(".dockerignore").split("\n").map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(["**/node_modules", "**/dist", ".git", ".leadflow", ".env", "!.env.example"]));
  });
});
