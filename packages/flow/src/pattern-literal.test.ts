import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { RE2JS } from "re2js";
import { compilePattern, requiredLiteral } from "./pattern.js";

describe("the required-literal prefilter of matches", () => {
  it("takes the leading plain run, leaving out what a quantifier may skip and letters folding beyond ASCII", () => {
    expect(requiredLiteral("/docs/v[0-9]+/")).toBe("/doc");
    expect(requiredLiteral("^/Blog/")).toBe("/blog/");
    expect(requiredLiteral("\\.pdf$")).toBe(".pdf");
    expect(requiredLiteral("abc?")).toBe("ab");
    expect(requiredLiteral("pricing")).toBe("pricing");
    expect(requiredLiteral("/docs")).toBe("/doc");
  });

  it("gives no literal for alternations, classes first, or too short a run", () => {
    expect(requiredLiteral("/pricing|/plans")).toBeNull();
    expect(requiredLiteral("[a-z]+/docs")).toBeNull();
    expect(requiredLiteral("a*")).toBeNull();
    expect(requiredLiteral("Kelvin")).toBeNull();
    expect(requiredLiteral("(?i)abc")).toBeNull();
  });

  it("matches exactly what RE2 alone matches, for random patterns and texts", () => {
    // characters chosen to reach the edges: case, the Kelvin sign and long s (RE2 folds them to k and s),
    // metacharacters, escapes and a character lowercasing to two (İ)
    const piece = fc.constantFrom("a", "B", "k", "K", "s", "S", "/", ".", "\\.", "\\/", "?", "*", "+", "[0-9]", "(x)", "|", "^", "$", "{1,2}", "\\d", "é");
    const textChar = fc.constantFrom("a", "A", "b", "B", "k", "K", "\u212A", "s", "S", "\u017F", "/", ".", "1", "x", "é", "É", "\u0130", " ");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), fc.array(textChar, { maxLength: 12 }), (pieces, chars) => {
        const source = pieces.join("");
        const text = chars.join("");
        const ours = compilePattern(source);
        let re: RE2JS;
        try {
          re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
        } catch {
          return !ours.ok;
        }
        return ours.ok && ours.value.test(text) === re.test(text);
      }),
      { numRuns: 3000 },
    );
  });
});
