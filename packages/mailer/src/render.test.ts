import { describe, it, expect } from "vitest";
import { renderTemplate, checkTemplate as checkWith, TemplateError, TEMPLATE_LIMITS, type TemplateSource, type TemplateVariables } from "./render.js";

/** A lead as the runtime's sample lead fills one in (the runtime passes its own at save). */
const SAMPLE_VARIABLES: TemplateVariables = {
  lead: { id: "sample", email: "anna@example.com", firstName: "Anna", stage: "lead", tier: "Warm", score: 42, scores: { total: 42, fit: 20, engagement: 22, categories: {} } },
  owner: { name: "Sam Seller", email: "sam@example.com" },
  unsubscribe_url: "https://example.com/u/sample",
};
const checkTemplate = (source: TemplateSource) => checkWith(source, SAMPLE_VARIABLES);

describe("renderTemplate", () => {
  it("fills lead variables and escapes them in HTML only", () => {
    const out = renderTemplate(
      { subject: "Hi {{lead.firstName}}", html: "<p>Hello {{lead.firstName}}</p>", text: "Hello {{lead.firstName}}" },
      { lead: { firstName: "<script>alert(1)</script>" } },
    );
    expect(out.html).toBe("<p>Hello &lt;script&gt;alert(1)&lt;/script&gt;</p>");
    expect(out.subject).toBe("Hi <script>alert(1)</script>");
    expect(out.text).toBe("Hello <script>alert(1)</script>");
  });

  it("uses fallbacks and makes a text part from the HTML", () => {
    const out = renderTemplate(
      { subject: "For {{ lead.firstName | default: \"you\" }}", html: "<h1>Hello {{ lead.firstName | default: \"there\" }}</h1><p>Owner: {{owner.name}}</p>" },
      { lead: {}, owner: { name: "Rita Rep", email: "rita@example.com" } },
    );
    expect(out.subject).toBe("For you");
    expect(out.text).toContain("HELLO THERE");
    expect(out.text).toContain("Owner: Rita Rep");
  });

  it("reports syntax errors by part", () => {
    expect(checkTemplate({ subject: "ok", html: "{% if %}" })).toEqual([{ part: "html", kind: "syntax", message: expect.any(String) }]);
    expect(() => renderTemplate({ subject: "{{ x | nosuchfilter }}", html: "" }, { lead: {} })).toThrow(TemplateError);
  });
});

describe("the template sandbox", () => {
  const files = ["package.json", "../../etc/passwd", "/etc/passwd", "pgdata/postmaster.pid", "C:\\Windows\\win.ini"];

  it.each(files)("refuses include, render and layout of %s, at check and at render", (file) => {
    for (const tag of ["include", "render", "layout"]) {
      const html = `<p>{% ${tag} '${file}' %}</p>`;
      expect(checkTemplate({ subject: "Hi", html })).toEqual([
        { part: "html", kind: "file", message: `Templates cannot include other files: remove {% ${tag} %}.` },
      ]);
      expect(() => renderTemplate({ subject: "Hi", html }, SAMPLE_VARIABLES)).toThrow(/cannot include other files/);
    }
  });

  it("refuses a file named by a variable or inside {% liquid %}, in any part", () => {
    expect(checkTemplate({ subject: "{% assign f = 'package.json' %}{% include f %}", html: "" })).toMatchObject([{ part: "subject", kind: "file" }]);
    expect(checkTemplate({ subject: "Hi", html: "", text: "{% liquid\n render 'package.json' %}" })).toMatchObject([{ part: "text", kind: "file" }]);
  });

  it("refuses a nested loop of 10^5 x 10^5 at check time, within the render budget", () => {
    const started = performance.now();
    const problems = checkTemplate({ subject: "Hi", html: "{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}" });
    expect(problems).toEqual([{ part: "html", kind: "limit", message: expect.stringMatching(/loop repeats too often/) }]);
    expect(performance.now() - started).toBeLessThan(5_000); // generous: did not run 10^10 iterations
  });

  it("refuses a loop with an empty body (CVE-2026-44645) and a padded date (the memory bypass)", () => {
    expect(checkTemplate({ subject: "Hi", html: "{% for i in (1..1000000000) %}{% endfor %}" })).toMatchObject([{ part: "html", kind: "limit" }]);
    expect(checkTemplate({ subject: "{{ 'now' | date: '%999999999d' }}", html: "" })).toMatchObject([{ part: "subject", kind: "limit" }]);
  });

  it("refuses memory blow-ups: doubling an array with concat, a string with append", () => {
    const concat = "{% assign a = 'x' | split: '' %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}{{ a | size }}";
    const append = "{% assign s = 'x' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}";
    expect(checkTemplate({ subject: "Hi", html: concat })).toEqual([{ part: "html", kind: "limit", message: expect.stringMatching(/too much text/) }]);
    expect(checkTemplate({ subject: "Hi", html: "", text: append })).toMatchObject([{ part: "text", kind: "limit" }]);
  });

  it("refuses output past the part's limit, even when no filter allocates it", () => {
    const longSubject = `{% for i in (1..100) %}${"x".repeat(50)}{% endfor %}`;
    expect(checkTemplate({ subject: longSubject, html: "" })).toEqual([
      { part: "subject", kind: "limit", message: `Once filled in, the subject is longer than ${TEMPLATE_LIMITS.output.subject.toLocaleString("en")} characters. Make it shorter.` },
    ]);
  });

  it("refuses a part longer than its limit and tags nested past the call stack", () => {
    expect(checkTemplate({ subject: "x".repeat(501), html: "" })).toMatchObject([{ part: "subject", kind: "limit", message: "The subject is longer than 500 characters. Make it shorter." }]);
    expect(checkTemplate({ subject: "Hi", html: "{% if a %}".repeat(20_000) + "{% endif %}".repeat(20_000) })).toMatchObject([{ part: "html", kind: "limit" }]);
  });

  it("passes a template that is fine for the sample lead, and fails it at render with a lead whose data blows it up", () => {
    const html = "{% assign s = lead.bio %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}<p>{{ s | size }}</p>";
    expect(checkTemplate({ subject: "Hi", html })).toEqual([]);
    expect(renderTemplate({ subject: "Hi", html }, { lead: { bio: "" } }).html).toBe("<p>0</p>");
    try {
      renderTemplate({ subject: "Hi", html }, { lead: { bio: "x".repeat(1000) } });
      expect.unreachable("the render should have been refused");
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      expect(e).toMatchObject({ part: "html", kind: "limit" });
    }
  });
});
