import { Liquid } from "liquidjs";

export type TemplatePart = "subject" | "html" | "text";

/**
 * What one template may cost. Templates are written by marketers but rendered with data that
 * website visitors control, inside the server's only event loop, so every bound is enforced at
 * save (parse and a trial render) and again at each send.
 */
export const TEMPLATE_LIMITS = {
  /** characters of each part as written */
  source: { subject: 500, html: 500_000, text: 500_000 } satisfies Record<TemplatePart, number>,
  /** characters of each part once rendered; more is a loop gone wrong, not an e-mail */
  output: { subject: 2_000, html: 600_000, text: 600_000 } satisfies Record<TemplatePart, number>,
  /** milliseconds all parts of one message may take to render, together */
  renderMs: 500,
  /** liquidjs's allocation count per part (characters built by filters, range and array elements) */
  memory: 10_000_000,
} as const;

// room for the unsubscribe footer appended to a part that is at its size limit
const PARSE_LIMIT = TEMPLATE_LIMITS.source.html + 10_000;

/** How a marketer knows each part: the labels of the template editor. */
export const PART_LABELS: Record<TemplatePart, string> = { subject: "subject", html: "HTML body", text: "plain-text body" };

/** Why a template cannot be used: how to read it decides what the marketer is told. */
export type TemplateProblemKind = "syntax" | "file" | "limit";

/** A template part that does not parse, would touch files, or breaks a limit when rendered. */
export class TemplateError extends Error {
  constructor(
    readonly part: TemplatePart,
    readonly kind: TemplateProblemKind,
    /** a sentence for the marketer, without the part */
    readonly reason: string,
  ) {
    super(`template ${part}: ${reason}`);
    this.name = "TemplateError";
  }
}

class FileTagRefused extends Error {
  constructor(tag: string) {
    super(`Templates cannot include other files: remove {% ${tag} %}.`);
  }
}

// Tags that read another template by name. The engines have no file system (an empty in-memory
// one), so these could only fail; refusing them at parse gives the marketer a reason instead.
const FILE_TAGS = ["include", "render", "layout"] as const;

function sandbox(escapeOutput: boolean): Liquid {
  const engine = new Liquid({
    templates: {},
    ...(escapeOutput ? { outputEscape: "escape" as const } : {}),
    strictFilters: true,
    ownPropertyOnly: true,
    parseLimit: PARSE_LIMIT,
    renderLimit: TEMPLATE_LIMITS.renderMs,
    memoryLimit: TEMPLATE_LIMITS.memory,
  });
  for (const tag of FILE_TAGS) {
    engine.registerTag(tag, {
      parse() {
        throw new FileTagRefused(tag);
      },
      render() {
        return "";
      },
    });
  }
  return engine;
}

// HTML output escapes every variable; subject and text are plain text and must not.
const engines: Record<TemplatePart, Liquid> = { subject: sandbox(false), html: sandbox(true), text: sandbox(false) };

/** The underlying cause of a liquidjs error (it wraps what a tag or a limit threw). */
const causeOf = (e: unknown): unknown => (e as { originalError?: unknown } | null)?.originalError ?? e;

function classify(part: TemplatePart, e: unknown): TemplateError {
  const cause = causeOf(e);
  if (cause instanceof FileTagRefused) return new TemplateError(part, "file", cause.message);
  const message = e instanceof Error ? e.message : String(e);
  if (message.includes("memory alloc limit exceeded")) {
    return new TemplateError(part, "limit", "The template produces too much text (a loop or filter repeats too often). Make it simpler.");
  }
  if (message.includes("template render limit exceeded")) {
    return new TemplateError(part, "limit", "The template takes too long to fill in (a loop repeats too often). Make it simpler.");
  }
  if (message.includes("parse length limit exceeded")) {
    return tooLong(part, TEMPLATE_LIMITS.source[part]);
  }
  if (cause instanceof RangeError) {
    // the JS engine's own limits: string length, call stack of deeply nested tags
    return new TemplateError(part, "limit", "The template is too large or too deeply nested to fill in. Make it simpler.");
  }
  return new TemplateError(part, "syntax", message.split("\n")[0] || "The template cannot be read.");
}

const tooLong = (part: TemplatePart, max: number) =>
  new TemplateError(part, "limit", `The ${PART_LABELS[part]} is longer than ${max.toLocaleString("en")} characters. Make it shorter.`);

/** Checks one part's size and parses it in the sandbox; throws TemplateError. */
export function parsePart(part: TemplatePart, source: string): void {
  if (source.length > TEMPLATE_LIMITS.source[part]) throw tooLong(part, TEMPLATE_LIMITS.source[part]);
  try {
    engines[part].parse(source);
  } catch (e) {
    throw classify(part, e);
  }
}

/**
 * Renders one part in the sandbox, within `budgetMs` (what is left of the message's render time)
 * and the memory and output limits; throws TemplateError.
 */
export function renderPart(part: TemplatePart, source: string, vars: object, budgetMs: number): string {
  let out: string;
  try {
    out = engines[part].parseAndRenderSync(source, vars, { renderLimit: Math.max(0, budgetMs), memoryLimit: TEMPLATE_LIMITS.memory }) as string;
  } catch (e) {
    throw classify(part, e);
  }
  const max = TEMPLATE_LIMITS.output[part];
  if (out.length > max) {
    throw new TemplateError(part, "limit", `Once filled in, the ${PART_LABELS[part]} is longer than ${max.toLocaleString("en")} characters. Make it shorter.`);
  }
  return out;
}
