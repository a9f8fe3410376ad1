import { describe, expect, it } from "vitest";
import { addTracking, withUnsubscribeLink } from "./instrument.js";
import { renderTemplate } from "./render.js";

describe("withUnsubscribeLink", () => {
  it("appends a footer link when the template has none, before </body> and to a written text part", () => {
    const t = withUnsubscribeLink({ subject: "s", html: "<html><body><p>Hi</p></body></html>", text: "Hi" });
    const out = renderTemplate(t, { lead: {}, unsubscribe_url: "https://x.test/u/abc" });
    expect(out.html).toMatch(/<p>Hi<\/p><p[^>]*>.*<a href="https:\/\/x.test\/u\/abc">Unsubscribe<\/a><\/p><\/body><\/html>$/);
    expect(out.text).toBe("Hi\n\n--\nUnsubscribe: https://x.test/u/abc");
  });

  it("keeps the template's own link and makes the text part's from the HTML", () => {
    const t = withUnsubscribeLink({ subject: "s", html: '<p>Hi <a href="{{ unsubscribe_url }}">stop</a></p>' });
    expect(t.html).toBe('<p>Hi <a href="{{ unsubscribe_url }}">stop</a></p>');
    const out = renderTemplate(t, { lead: {}, unsubscribe_url: "https://x.test/u/abc" });
    expect(out.text).toContain("https://x.test/u/abc");
  });
});

describe("addTracking", () => {
  const track = (url: string) => `https://t.test/c/${encodeURIComponent(url)}`;

  it("rewrites http(s) links with decoded targets, leaves others, adds the pixel before </body>", () => {
    const html = `<body><a class="b" href="https://ex.com/a?x=1&amp;y=2">A</a> <a href='mailto:x@y.z'>M</a> <a href="#top">T</a>
<a data-leadflow-notrack href="https://ex.com/keep">K</a></body>`;
    const out = addTracking(html, { trackLink: track, pixelUrl: "https://t.test/o/tok" });
    expect(out).toContain(`<a class="b" href="https://t.test/c/${encodeURIComponent("https://ex.com/a?x=1&y=2")}">A</a>`);
    expect(out).toContain(`href='mailto:x@y.z'`);
    expect(out).toContain(`href="#top"`);
    expect(out).toContain(`href="https://ex.com/keep"`);
    expect(out).toMatch(/<img src="https:\/\/t.test\/o\/tok" width="1" height="1" alt="" [^>]*\/><\/body>$/);
  });

  it("leaves a link alone when told to", () => {
    const out = addTracking('<a href="https://ex.com/u">U</a>', { trackLink: () => undefined, pixelUrl: "p" });
    expect(out.startsWith('<a href="https://ex.com/u">U</a><img')).toBe(true);
  });
});
