import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Condition } from "./condition.schema.js";
import { compileCondition } from "./condition-compiler.js";
import { compilePattern, MAX_PATTERN_INPUT } from "./pattern.js";
import { compileGlob } from "./glob.js";
import { galleryFlows } from "./gallery/index.js";
import type { EvalContext } from "./compiled.types.js";

const ctxWith = (value: unknown): EvalContext => ({
  lead: { email: "a@b.test", stage: "lead", status: "active", properties: {} },
  scores: { total: 0, fit: 0, engagement: 0, categories: {} },
  tier: "",
  event: { type: "form_submit", properties: { value } },
});

const matches = (pattern: string) => compileCondition({ field: "event.properties.value", op: "matches", value: pattern });
const issueOf = (pattern: string) => {
  const r = Condition.safeParse({ field: "event.properties.value", op: "matches", value: pattern });
  return r.success ? undefined : r.error.issues.map((i) => i.message).join("; ");
};

describe("matches on RE2", () => {
  it("runs (a+)+$ against 5,000 a's and a ! without backtracking", () => {
    const started = Date.now();
    expect(matches("(a+)+$")(ctxWith("a".repeat(5000) + "!"))).toBe(false);
    expect(matches("(a+)+!$")(ctxWith("a".repeat(5000) + "!"))).toBe(true);
    expect(matches("^(a+)+$")(ctxWith("a".repeat(5000) + "!"))).toBe(false);
    expect(matches("^(a+)+$")(ctxWith("a".repeat(5000)))).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000); // generous: RegExp takes 2^5000 steps here
  });

  it("runs a 32 KiB event property through a pattern at the complexity limit", () => {
    const started = Date.now();
    expect(matches("(?:a?){100}a{100}!")(ctxWith("a".repeat(32 * 1024)))).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("reads at most MAX_PATTERN_INPUT characters of a value", () => {
    expect(matches("b")(ctxWith("a".repeat(MAX_PATTERN_INPUT) + "b"))).toBe(false);
    expect(matches("b")(ctxWith("a".repeat(MAX_PATTERN_INPUT - 1) + "b"))).toBe(true);
  });

  it("keeps RegExp's behaviour for ordinary patterns: case-insensitive, unanchored, Unicode", () => {
    expect(matches("^market.*tor$")(ctxWith("Marketing DIRECTOR"))).toBe(true);
    expect(matches("/products?/[^/]+")(ctxWith("https://x.test/Product/abc"))).toBe(true);
    expect(matches("É")(ctxWith("café"))).toBe(true);
    expect(matches("\\d{3}-\\d{4}")(ctxWith("call 555-1234"))).toBe(true);
    expect(matches("(?<area>\\d{3})")(ctxWith("555"))).toBe(true);
  });

  it("refuses at validation what RE2 cannot run, naming the construct", () => {
    expect(issueOf("^(?=.*pro)")).toBe("Lookahead (?=…) is not supported in patterns.");
    expect(issueOf("foo(?!bar)")).toBe("Negative lookahead (?!…) is not supported in patterns.");
    expect(issueOf("(?<=\\$)\\d+")).toBe("Lookbehind (?<=…) is not supported in patterns.");
    expect(issueOf("(?<!x)y")).toBe("Negative lookbehind (?<!…) is not supported in patterns.");
    expect(issueOf("(a)\\1")).toBe("Back-references such as \\1 are not supported in patterns.");
    expect(issueOf("caf\\u00e9")).toMatch(/\\u escapes are not supported/);
    expect(issueOf("(unclosed")).toMatch(/^The pattern is not valid: missing closing \)/);
    expect(issueOf("\\(?=")).toBeUndefined(); // an escaped parenthesis is no lookahead
  });

  it("refuses a pattern too long or too complex to run in milliseconds", () => {
    expect(issueOf("a".repeat(1001))).toMatch(/longer than 1,000 characters|at most 1000 characters/);
    expect(issueOf("\\p{L}{1000}!")).toMatch(/too complex/);
    expect(issueOf("(.*a){250}!")).toMatch(/too complex/);
  });

  it("never matches with a pattern stored before RE2 that it cannot run, rather than throwing", () => {
    expect(matches("(?=a)a")(ctxWith("a"))).toBe(false);
  });

  it("runs every gallery page rule on RE2", () => {
    const rules = galleryFlows.flatMap((g) =>
      g.document.nodes.flatMap((n) => ("where" in n.config ? (n.config.where as { op: string; value?: unknown }[]) : []).filter((w) => w.op === "matches" || w.op === "glob")),
    );
    expect(rules.length).toBeGreaterThan(0);
    for (const w of rules) expect((w.op === "glob" ? compileGlob : compilePattern)(String(w.value))).toMatchObject({ ok: true });
    expect(matches("^(https?://[^/]+)?/?(\\?.*)?$")(ctxWith("https://shop.test/?utm=1"))).toBe(true);
  });

  it("random patterns are refused by validation or compile and evaluate without throwing", () => {
    const piece = fc.oneof(
      fc.constantFrom("(", ")", "(?:", "(?=", "(?<", "[", "]", "{", "}", "*", "+", "?", "|", "^", "$", ".", "\\", "\\1", "\\d", "\\w", "\\p{L}", "\\b", "-", ",", "a", "Z", "0", "9", "{2,5}", "{1000}", "é", "\u0000"),
      fc.string({ maxLength: 3 }),
    );
    const pattern = fc.array(piece, { maxLength: 30 }).map((ps) => ps.join(""));
    fc.assert(
      fc.property(pattern, fc.string({ maxLength: 200 }), (p, input) => {
        const issue = issueOf(p);
        if (issue !== undefined) {
          expect(issue.length).toBeGreaterThan(0);
          return;
        }
        expect(compilePattern(p).ok).toBe(true);
        expect(typeof matches(p)(ctxWith(input))).toBe("boolean");
      }),
      { numRuns: 3000 },
    );
  });
});
