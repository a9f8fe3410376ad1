/**
 * The house rules of docs/architecture.md, checked on every run (issue 9): no source file over
 * 300 lines, no function over 80, no SQL in packages/runtime (queries live in packages/db
 * repositories), and the shared lists declared once (packages/flow/src/vocabulary.ts).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const SOURCE_DIRS = ["packages", "apps", "bench", "e2e"];
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ts|tsx)$/.test(name) && !/\.d\.ts$/.test(name)) out.push(path);
  }
  return out;
}

const isTest = (path: string) => /\.(test|spec)\.tsx?$/.test(path) || /\/(testing|e2e)\//.test(path) || path.includes("/e2e/");
const sources = SOURCE_DIRS.flatMap((d) => walk(join(ROOT, d))).filter((p) => !isTest(p));
const rel = (p: string) => relative(ROOT, p);

function longFunctions(path: string): string[] {
  const text = readFileSync(path, "utf8");
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const end = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end - start + 1 > MAX_FUNCTION_LINES) {
        const name = (node as ts.FunctionDeclaration).name?.getText(file) ?? nameOfParent(node, file);
        found.push(`${rel(path)}:${start + 1} ${name} (${end - start + 1} lines)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function nameOfParent(node: ts.Node, file: ts.SourceFile): string {
  const p = node.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p))) return p.name.getText(file);
  if (p && ts.isCallExpression(p)) return `callback of ${p.expression.getText(file).slice(0, 40)}`;
  return "(anonymous)";
}

describe("house rules", () => {
  it(`has no source file over ${MAX_FILE_LINES} lines`, () => {
    const long = sources
      .map((p) => ({ p, n: readFileSync(p, "utf8").split("\n").length }))
      .filter(({ n }) => n > MAX_FILE_LINES)
      .map(({ p, n }) => `${rel(p)} (${n} lines)`);
    expect(long, long.join("\n")).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = sources.flatMap(longFunctions);
    expect(long, long.join("\n")).toEqual([]);
  });

  it("keeps SQL out of packages/runtime (queries live in packages/db repositories)", () => {
    const sqlish = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(\.raw|\.ref|\.join|\.lit)?[`<(]|\bsql`/;
    const offenders = sources
      .filter((p) => rel(p).startsWith("packages/runtime/src/"))
      .flatMap((p) =>
        readFileSync(p, "utf8")
          .split("\n")
          .map((line, i) => ({ line, i }))
          .filter(({ line }) => sqlish.test(line) && !line.trim().startsWith("*") && !line.trim().startsWith("//"))
          .map(({ i }) => `${rel(p)}:${i + 1}`),
      );
    expect(offenders, offenders.join("\n")).toEqual([]);
  });

  it("declares the shared lists once (packages/flow/src/vocabulary.ts)", () => {
    const lists = [
      /["']subscriber["'],\s*["']lead["'],\s*["']mql["']/, // lead stages
      /["']admin["'],\s*["']marketer["'],\s*["']sales["']/, // roles
      /["']pending["'],\s*["']sending["'],\s*["']sent["']/, // outbox statuses
      /\[0-9a-f\]\{8\}-\[0-9a-f\]\{4\}/, // the UUID pattern
      /\^\[a-z0-9\]\[a-z0-9_-\]\{0,63\}\$/, // the slug id pattern
    ];
    const offenders = sources
      .filter((p) => !p.endsWith("packages/flow/src/vocabulary.ts") && !rel(p).includes("/migrations/"))
      .flatMap((p) => {
        const text = readFileSync(p, "utf8");
        return lists.filter((re) => re.test(text)).map((re) => `${rel(p)}: ${re.source}`);
      });
    expect(offenders, offenders.join("\n")).toEqual([]);
  });
});
