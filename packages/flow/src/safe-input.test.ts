import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { z } from "zod";
import { jsonIssues, MAX_JSON_DEPTH, safeDateTime, safeJson, safeString, unstorableCharacter } from "./safe-input.js";

const deep = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe("the storable-text rule", () => {
  it("names NUL and lone surrogates, and lets well-formed text through", () => {
    expect(unstorableCharacter("a\u0000b")).toBe("NUL");
    expect(unstorableCharacter("x\ud800")).toMatch(/U\+D800/);
    expect(unstorableCharacter("\udc00y")).toMatch(/U\+DC00/);
    expect(unstorableCharacter("\ud800\ud800\udc00")).toMatch(/U\+D800/); // the first high has no low
    for (const ok of ["", "plain", "\ud83d\ude00", "e\u0301", "\uffff", "\u{10ffff}", "\u202e"]) expect(unstorableCharacter(ok)).toBeUndefined();
  });

  it("safeString keeps zod's chaining and refuses per field", () => {
    const schema = z.object({ name: safeString(10).min(1), tags: z.array(safeString(5)) });
    const r = schema.safeParse({ name: "a\u0000", tags: ["ok", "\ud800"] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["name", "contains a character that cannot be stored (NUL)"],
      ["tags.1", expect.stringMatching(/^contains a character that cannot be stored \(a broken Unicode character/)],
    ]);
    expect(schema.safeParse({ name: "x".repeat(11), tags: [] }).error!.issues[0]!.message).toBe("at most 10 characters");
  });

  it("jsonIssues finds bad strings and keys at any depth, with their paths", () => {
    expect(jsonIssues({ a: [{ b: "x\u0000" }], ["k\u0000"]: 1, __proto__x: 2 })).toEqual([
      { path: [], message: 'the name "k\\u0000" contains a character that cannot be stored (NUL)' },
      { path: ["a", 0, "b"], message: "contains a character that cannot be stored (NUL)" },
    ]);
    expect(jsonIssues(JSON.parse('{"x":{"__proto__":{"polluted":true}}}'))).toEqual([{ path: ["x"], message: "the name __proto__ is not allowed" }]);
    expect(jsonIssues({ ["k".repeat(201)]: 1 })[0]!.message).toMatch(/longer than 200 characters/);
    expect(jsonIssues({ n: 10n })).toEqual([{ path: ["n"], message: "is not a JSON value" }]);
  });

  it("jsonIssues measures depth without recursion: 100,000 levels give one issue, not a stack overflow", () => {
    expect(jsonIssues(deep(MAX_JSON_DEPTH))).toEqual([]);
    expect(jsonIssues(deep(MAX_JSON_DEPTH + 1))).toEqual([{ path: ["a"], message: `nested more than ${MAX_JSON_DEPTH} levels deep` }]);
    expect(jsonIssues(deep(100_000))).toHaveLength(1);
    expect(jsonIssues(deep(4), { maxDepth: 3 })).toHaveLength(1);
  });

  it("jsonIssues stops at a few issues and checks the size only of a value it could walk", () => {
    expect(jsonIssues(Array.from({ length: 10_000 }, () => "\u0000"))).toHaveLength(10);
    expect(jsonIssues({ s: "x".repeat(100) }, { maxSize: 50 })).toEqual([{ path: [], message: "is larger than 50 characters" }]);
    expect(jsonIssues({ s: "x".repeat(40 * 1024) }, { maxSize: 32 * 1024 })[0]!.message).toBe("is larger than 32 KiB");
  });

  it("safeJson runs before the shape it is piped into, so the shape never sees a deep value", () => {
    const schema = z.object({ p: safeJson().pipe(z.record(z.string(), z.unknown())) });
    const r = schema.safeParse({ p: deep(50_000) });
    expect(r.error!.issues).toEqual([expect.objectContaining({ path: ["p", 0], message: `nested more than ${MAX_JSON_DEPTH} levels deep` })]);
    expect(schema.safeParse({ p: "text" }).error!.issues[0]!.path).toEqual(["p"]);
  });

  it("safeDateTime takes 1970–2100 with an offset and gives it back in UTC", () => {
    const d = safeDateTime();
    expect(d.parse("2026-05-01T11:30:00+02:00")).toBe("2026-05-01T09:30:00.000Z");
    expect(d.parse("1970-01-01T00:00:00Z")).toBe("1970-01-01T00:00:00.000Z");
    expect(d.parse("2100-12-31T23:59:59.999Z")).toBe("2100-12-31T23:59:59.999Z");
    for (const bad of ["0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2101-01-01T00:00:00Z", "2100-12-31T23:59:59-01:00"]) {
      expect(d.safeParse(bad).error!.issues.map((i) => i.message)).toEqual(["must be between 1970-01-01 and 2100-12-31"]);
    }
    expect(d.safeParse("2026-02-30T00:00:00Z").error!.issues).toHaveLength(1);
    expect(d.safeParse("yesterday").error!.issues).toHaveLength(1);
  });

  it("never throws, on any value (property)", () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }), (value) => {
        const issues = jsonIssues(value, { maxSize: 1000 });
        expect(issues.length).toBeLessThanOrEqual(10);
        safeJson().safeParse(value);
      }),
      { numRuns: 2000 },
    );
  });

  it("a value that passes is one JSON can carry and PostgreSQL can store (property)", () => {
    const unit = fc.oneof(fc.constantFrom("\u0000", "\ud800", "\udc00", "\ud83d\ude00"), fc.string({ minLength: 1, maxLength: 1 }));
    const text = fc.string({ unit, maxLength: 8 });
    const json = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: "small" }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(text, tie("v"), { maxKeys: 3 })),
    })).v;
    fc.assert(
      fc.property(json, (value) => {
        const serialized = JSON.stringify(value);
        const passes = jsonIssues(value).length === 0;
        // PostgreSQL's jsonb refuses \u0000 and a surrogate escape; JSON.stringify escapes exactly NUL and lone surrogates so
        const refused = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i.test(serialized);
        expect(passes).toBe(!refused);
      }),
      { numRuns: 2000 },
    );
  });
});
