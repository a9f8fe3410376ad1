import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compile } from "./compile.js";
import type { EvalContext } from "./compiled.types.js";
import { everyNodeType } from "./test-documents.js";
import { validate } from "./validate.js";

/** Every path to a value inside `doc` (objects and arrays walked; the root excluded). */
function paths(doc: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (doc === null || typeof doc !== "object") return [];
  const entries = Array.isArray(doc) ? doc.map((v, i) => [i, v] as const) : Object.entries(doc);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}
const documentPaths = paths(everyNodeType);

type Container = Record<string | number, unknown>;
const shallow = (v: unknown): Container => (Array.isArray(v) ? [...v] : { ...(v as object) }) as Container;

/**
 * A copy of `doc` with the value at `path` replaced (or, for `undefined`, removed). Only the
 * containers along the path are copied: an earlier swap may have put a deep value anywhere.
 */
function replaced(doc: unknown, path: (string | number)[], value: unknown): unknown {
  const root = shallow(doc);
  let at = root;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (next === null || typeof next !== "object") return root; // an earlier swap replaced this branch
    at = at[key] = shallow(next);
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return root;
}

const nasty = fc.oneof(
  fc.constantFrom("", "\u0000", "\ud800", "x".repeat(5000), "__proto__", "(a+)+$", -0, 1e308, -1e308, 2 ** 53, 1e-300, null, undefined, [], {}),
  fc.anything({ maxDepth: 3, withBigInt: true, withNullPrototype: true }),
  fc.integer({ min: 20, max: 3000 }).map((depth) => {
    let v: unknown = "leaf";
    for (let i = 0; i < depth; i++) v = { a: v };
    return v;
  }),
);

/** A valid document with one to three values swapped for hostile ones, or anything at all. */
const document = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(fc.constantFrom(...documentPaths), nasty), { minLength: 1, maxLength: 3 }).map((swaps) => swaps.reduce((d, [p, v]) => replaced(d, p, v), everyNodeType as unknown)) },
  { weight: 1, arbitrary: fc.anything({ withBigInt: true, withNullPrototype: true }) },
);

const context: fc.Arbitrary<EvalContext> = fc.record({
  event: fc.record({ type: fc.string(), properties: fc.dictionary(fc.string(), fc.anything({ maxDepth: 2 })) }),
  lead: fc.record({ email: fc.string(), stage: fc.string(), status: fc.string(), properties: fc.dictionary(fc.string(), fc.anything({ maxDepth: 2 })) }),
  scores: fc.record({ total: fc.double(), fit: fc.double(), engagement: fc.double(), categories: fc.dictionary(fc.string(), fc.double()) }),
  tier: fc.string(),
});

describe("validate and compile on hostile documents (property)", () => {
  it("validate never throws: it returns the document or issues, each with a message", () => {
    fc.assert(
      fc.property(document, (doc) => {
        const r = validate(doc, { templateIds: new Set(["warm-intro"]) });
        if (!r.ok) {
          expect(r.issues.length).toBeGreaterThan(0);
          for (const issue of r.issues) expect(issue.message).toEqual(expect.any(String));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("what validate accepts compiles, and its conditions evaluate on any lead and event without throwing", () => {
    fc.assert(
      fc.property(document, fc.array(context, { minLength: 1, maxLength: 3 }), (doc, contexts) => {
        const r = validate(doc);
        if (!r.ok) return;
        const flow = compile(r.value, 1);
        for (const node of flow.nodes.values()) for (const ctx of contexts) if (node.test) expect(typeof node.test(ctx)).toBe("boolean");
      }),
      { numRuns: 1500 },
    );
  });
});
