import { convert } from "html-to-text";
import { parsePart, renderPart, TemplateError, TEMPLATE_LIMITS, type TemplatePart } from "./liquid-sandbox.js";

export { PART_LABELS, TemplateError, TEMPLATE_LIMITS, type TemplatePart, type TemplateProblemKind } from "./liquid-sandbox.js";

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

export interface TemplateProblem {
  part: TemplatePart;
  kind: TemplateError["kind"];
  message: string;
}

const partsOf = (source: TemplateSource): [TemplatePart, string][] =>
  (
    [
      ["subject", source.subject],
      ["html", source.html],
      ["text", source.text],
    ] as const
  ).filter((p): p is [TemplatePart, string] => typeof p[1] === "string" && p[1] !== "");

/**
 * Checks a template as a save would: each part within its size, parsed in the sandbox (no
 * include, render or layout), then the whole template rendered once for a sample lead under
 * the send-time limits, so a loop that cannot finish is refused now rather than at send.
 * `sample` is that lead's variables (the runtime's one sample lead, the same a preview shows).
 * Returns every problem (empty when the template is fine).
 */
export function checkTemplate(source: TemplateSource, sample: TemplateVariables): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const [part, text] of partsOf(source)) {
    try {
      parsePart(part, text);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      problems.push({ part, kind: e.kind, message: e.reason });
    }
  }
  if (problems.length > 0) return problems;
  try {
    renderTemplate(source, sample);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    problems.push({ part: e.part, kind: e.kind, message: e.reason });
  }
  return problems;
}

/**
 * Renders a template for one lead. HTML variables are HTML-escaped; a text part is always
 * produced (from the HTML when the template has none). All parts together get
 * TEMPLATE_LIMITS.renderMs; a part that breaks a limit, does not parse or names another file
 * throws TemplateError, so no template can stall or crash the process.
 */
export function renderTemplate(source: TemplateSource, vars: TemplateVariables): RenderedMessage {
  const deadline = performance.now() + TEMPLATE_LIMITS.renderMs;
  const render = (part: TemplatePart, text: string) => renderPart(part, text, vars, deadline - performance.now());
  const subject = render("subject", source.subject).replace(/[\r\n]+/g, " ").trim();
  const html = render("html", source.html);
  const text = source.text ? render("text", source.text) : convert(html, { wordwrap: 78 });
  return { subject, html, text };
}
