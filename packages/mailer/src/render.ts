import { Liquid } from "liquidjs";
import { convert } from "html-to-text";

export interface TemplateSource {
  subject: string;
  html: string;
  text?: string | null;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}

/** Variables a template can use: `{{lead.firstName}}`, `{{lead.email}}`, `{{owner.name}}`, `{{ x | default: "there" }}`. */
export interface TemplateVariables {
  lead: Record<string, unknown>;
  owner?: { name: string; email: string } | null;
  [name: string]: unknown;
}

// Two engines: HTML output escapes every variable; subject and text are plain text and must not.
const htmlEngine = new Liquid({ outputEscape: "escape", strictFilters: true, ownPropertyOnly: true });
const textEngine = new Liquid({ strictFilters: true, ownPropertyOnly: true });

export class TemplateSyntaxError extends Error {
  constructor(
    readonly part: "subject" | "html" | "text",
    message: string,
  ) {
    super(`template ${part}: ${message}`);
    this.name = "TemplateSyntaxError";
  }
}

/** Checks a template parses; returns the problems per part (empty when fine). */
export function checkTemplate(source: TemplateSource): { part: "subject" | "html" | "text"; message: string }[] {
  const problems: { part: "subject" | "html" | "text"; message: string }[] = [];
  const parts: ["subject" | "html" | "text", string | null | undefined][] = [
    ["subject", source.subject],
    ["html", source.html],
    ["text", source.text],
  ];
  for (const [part, text] of parts) {
    if (!text) continue;
    try {
      (part === "html" ? htmlEngine : textEngine).parse(text);
    } catch (e) {
      problems.push({ part, message: (e as Error).message.split("\n")[0] ?? "syntax error" });
    }
  }
  return problems;
}

/**
 * Renders a template for one lead. HTML variables are HTML-escaped; a text part is always
 * produced (from the HTML when the template has none).
 */
export function renderTemplate(source: TemplateSource, vars: TemplateVariables): RenderedMessage {
  const render = (part: "subject" | "html" | "text", engine: Liquid, text: string) => {
    try {
      return engine.parseAndRenderSync(text, vars) as string;
    } catch (e) {
      throw new TemplateSyntaxError(part, (e as Error).message.split("\n")[0] ?? "render failed");
    }
  };
  const subject = render("subject", textEngine, source.subject).replace(/[\r\n]+/g, " ").trim();
  const html = render("html", htmlEngine, source.html);
  const text = source.text ? render("text", textEngine, source.text) : convert(html, { wordwrap: 78 });
  return { subject, html, text };
}
