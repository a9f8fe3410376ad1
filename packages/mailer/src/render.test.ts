import { describe, it, expect } from "vitest";
import { renderTemplate, checkTemplate, TemplateSyntaxError } from "./render.js";

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
    expect(checkTemplate({ subject: "ok", html: "{% if %}" })).toEqual([{ part: "html", message: expect.any(String) }]);
    expect(() => renderTemplate({ subject: "{{ x | nosuchfilter }}", html: "" }, { lead: {} })).toThrow(TemplateSyntaxError);
  });
});
