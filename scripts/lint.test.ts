// The ESLint configuration is wired as documented: TypeScript rules everywhere, React's hooks
// rules in the web app (linted from text: no file is written into the tree).
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const component = `import { useEffect, useState } from "react";
export function Probe(p: { a: number }) {
  const [v, setV] = useState(0);
  useEffect(() => setV(p.a), []);
  if (v > 1) useState(1);
  return v;
}
`;

it("reports hooks misuse in the web app and unused TypeScript names anywhere", async () => {
  const eslint = new ESLint({ cwd: root });
  const [web] = await eslint.lintText(component, { filePath: resolve(root, "apps/web/src/lint-probe.tsx") });
  expect(web!.messages.map((m) => m.ruleId).sort()).toEqual(["react-hooks/exhaustive-deps", "react-hooks/rules-of-hooks"]);
  const [server] = await eslint.lintText("const unused: number = 1;\nexport const _ok = 2;\n", { filePath: resolve(root, "packages/runtime/src/lint-probe.ts") });
  expect(server!.messages.map((m) => m.ruleId)).toEqual(["@typescript-eslint/no-unused-vars"]);
});
