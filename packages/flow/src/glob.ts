import { compilePattern, MAX_PATTERN_LENGTH, type PatternResult } from "./pattern.js";

/**
 * Page rules by wildcard, the way marketers write them in analytics tools: `/pricing`,
 * `/pricing/**`, `/blog/*`, `/{contact,book-a-meeting}`
 * (and `**` before a segment, for a blog under any prefix; see docs/conditions.md).
 *
 * - `*` is any run of characters within one path segment, `**` any run across segments,
 *   `?` one character (not `/`), `{a,b}` one of the alternatives; everything else is literal.
 * - The whole value must match, ignoring case.
 * - A pattern starting with `/` or `*` is matched against the URL's path: the scheme and host,
 *   the query and fragment, and a trailing `/` are dropped, so `/pricing` matches
 *   `https://example.com/pricing/?utm_source=x` and `/PRICING`. A pattern naming a scheme
 *   (`https://example.com/pricing/**`) is matched against the URL without its query and
 *   fragment. Any other pattern is matched against the whole value (`*@acme.com`).
 *
 * Globs compile to RE2 (see pattern.ts), so matching is linear in the input whatever the pattern.
 */
export function compileGlob(source: string): PatternResult {
  if (source.length > MAX_PATTERN_LENGTH) {
    return { ok: false, message: `The pattern is longer than ${MAX_PATTERN_LENGTH.toLocaleString("en")} characters.` };
  }
  const mode: Mode = source.includes("://") ? "url" : source.startsWith("/") || source.startsWith("*") ? "path" : "whole";
  const body = mode === "whole" ? source : trimSlash(source);
  const translated = translate(body);
  if (!translated.ok) return translated;
  // a glob character becomes up to 8 of RE2 (`[^/]*`); the program-size bound still holds
  const pattern = compilePattern(`^${translated.value}$`, MAX_PATTERN_LENGTH * 8 + 2);
  if (!pattern.ok) return pattern;
  const re = pattern.value;
  return { ok: true, value: { test: (text) => re.test(reduce(text, mode)) } };
}

type Mode = "path" | "url" | "whole";

function trimSlash(s: string): string {
  return s.length > 1 && s.endsWith("/") && !s.endsWith("://") ? s.slice(0, -1) : s;
}

const SCHEME_HOST = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/** The part of a value a glob of that mode is matched against. */
function reduce(text: string, mode: Mode): string {
  if (mode === "whole") return text;
  const end = text.search(/[?#]/);
  let s = end >= 0 ? text.slice(0, end) : text;
  if (mode === "path") {
    const host = SCHEME_HOST.exec(s);
    if (host) s = s.slice(host[0].length) || "/";
  }
  return trimSlash(s);
}

const META = /[\\^$.|+()[\]{}*?]/;

function literal(ch: string): string {
  return META.test(ch) ? `\\${ch}` : ch;
}

function translate(glob: string): { ok: true; value: string } | { ok: false; message: string } {
  let out = "";
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        i++;
        // `/**` at the end also matches the page itself: `/pricing/**` takes `/pricing`
        while (glob[i + 1] === "*") i++;
        // `/**` at the end also matches the page itself (`/pricing/**` takes `/pricing`), and
        // `/**/` also matches a single `/` (`/**/blog` takes `/blog`)
        const wholeSegments = out.endsWith("/") && !inBraces && (i === glob.length - 1 || glob[i + 1] === "/");
        out = wholeSegments ? `${out.slice(0, -1)}(?:/.*)?` : `${out}.*`;
      } else out += "[^/]*";
    } else if (ch === "?") out += "[^/]";
    else if (ch === "{" && !inBraces) {
      inBraces = true;
      out += "(?:";
    } else if (ch === "}" && inBraces) {
      inBraces = false;
      out += ")";
    } else if (ch === "," && inBraces) out += "|";
    else out += literal(ch);
  }
  if (inBraces) return { ok: false, message: "The pattern opens a { list of alternatives } and never closes it." };
  return { ok: true, value: out };
}
