import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Condition } from "./condition.schema.js";
import { compileCondition } from "./condition-compiler.js";
import { compileGlob } from "./glob.js";
import { MAX_PATTERN_INPUT } from "./pattern.js";
import type { EvalContext } from "./compiled.types.js";

const at = (url: unknown): EvalContext => ({
  lead: { email: "a@b.test", stage: "lead", status: "active", properties: {} },
  scores: { total: 0, fit: 0, engagement: 0, categories: {} },
  tier: "",
  event: { type: "page_view", properties: { url } },
});
const glob = (value: string) => compileCondition({ field: "event.properties.url", op: "glob", value });

describe("glob page rules", () => {
  it("matches the path of real URLs: scheme, host, query, fragment, trailing slash and case ignored", () => {
    const pricing = glob("/pricing");
    for (const url of ["https://example.com/pricing?utm_source=x", "/pricing/", "/PRICING", "http://www.example.com/pricing/#plans", "/pricing?a=1"]) {
      expect(pricing(at(url)), url).toBe(true);
    }
    for (const url of ["/pricing-old", "/en/pricing", "https://example.com/pricing/enterprise", "https://pricing.example.com/"]) {
      expect(pricing(at(url)), url).toBe(false);
    }
  });

  it("* stays within a segment, ** crosses segments, /** at the end takes the page itself", () => {
    expect(glob("/blog/*")(at("https://example.com/blog/hello"))).toBe(true);
    expect(glob("/blog/*")(at("https://example.com/blog/2024/hello"))).toBe(false);
    expect(glob("/pricing/**")(at("https://example.com/pricing"))).toBe(true);
    expect(glob("/pricing/**")(at("/pricing/enterprise/compare?x=1"))).toBe(true);
    expect(glob("/**/blog/**")(at("https://example.com/en/blog/post"))).toBe(true);
    expect(glob("/**/blog/**")(at("/blog"))).toBe(true);
    expect(glob("*/blog/**")(at("/blog/x"))).toBe(true);
    expect(glob("/products/?*")(at("/products/a"))).toBe(true);
    expect(glob("/products/?*")(at("/products/"))).toBe(false);
  });

  it("takes {a,b} alternatives, the home page as /, full URLs and non-URL values", () => {
    const contact = glob("/{contact,book-a-meeting}/**");
    expect(contact(at("https://example.com/book-a-meeting?ref=nav"))).toBe(true);
    expect(contact(at("/contact/sales"))).toBe(true);
    expect(contact(at("/contacts"))).toBe(false);
    expect(glob("/")(at("https://example.com"))).toBe(true);
    expect(glob("/")(at("https://example.com/?utm_source=x"))).toBe(true);
    expect(glob("/")(at("/about"))).toBe(false);
    expect(glob("https://example.com/pricing/**")(at("https://EXAMPLE.com/pricing/team?x"))).toBe(true);
    expect(glob("https://example.com/pricing/**")(at("https://other.com/pricing"))).toBe(false);
    expect(compileCondition({ field: "lead.email", op: "glob", value: "*@acme.com" })({ ...at(""), lead: { ...at("").lead, email: "Jo@ACME.com" } })).toBe(true);
  });

  it("treats regex characters literally", () => {
    expect(glob("/a.b(c)+[d]$^|")(at("/a.b(c)+[d]$^|"))).toBe(true);
    expect(glob("/a.b")(at("/axb"))).toBe(false);
    expect(glob("/\\d")(at("/\\d"))).toBe(true);
  });

  it("is refused at save with a sentence when it cannot run", () => {
    const issue = (value: string) => {
      const r = Condition.safeParse({ field: "event.properties.url", op: "glob", value });
      return r.success ? undefined : r.error.issues[0]!.message;
    };
    expect(issue("/pricing/**")).toBeUndefined();
    expect(issue("/{contact,about")).toMatch(/never closes/);
    expect(issue("/x".repeat(600))).toMatch(/1000 characters/);
    expect(issue("/" + Array.from({ length: 150 }, (_, i) => `s${i}/*`).join(""))).toMatch(/too complex/);
  });

  it("never throws on any pattern or value, and answers a hostile pattern on the longest value read", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 200 }), (pattern, value) => {
        const r = compileGlob(pattern);
        if (r.ok) expect(typeof r.value.test(value)).toBe("boolean");
        else expect(r.message).toMatch(/\.$/);
      }),
      { numRuns: 500 },
    );
    const hostile = compileGlob("/" + "**a".repeat(30) + "!");
    expect(hostile.ok).toBe(true);
    if (!hostile.ok) return;
    const started = Date.now();
    expect(hostile.value.test("/" + "a".repeat(MAX_PATTERN_INPUT * 2))).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000); // generous "did not hang": a backtracking engine takes ages here
  });
});
