import { RE2JS, RE2JSSyntaxException } from "re2js";
import { lower } from "./lower.js";

/**
 * User-supplied patterns (`matches` in flows, fit rules, segments and page rules) run on RE2
 * (re2js), never on the JavaScript RegExp engine: RE2 matches in time linear in the input,
 * so no pattern can backtrack for seconds on a visitor's form value as `(a+)+$` does on
 * RegExp. Linear still has a factor, the size of the compiled program, so that is bounded
 * too, as is the text one evaluation reads.
 */

/** Characters of a pattern as written. */
export const MAX_PATTERN_LENGTH = 1000;
/**
 * Instructions of the compiled program. An evaluation costs up to about input × program, so
 * this and MAX_PATTERN_INPUT keep the worst one to a few tens of milliseconds. Ordinary
 * patterns (`/products?/[^/]+`, `@(gmail|yahoo)\.com$`) need under 50.
 */
export const MAX_PATTERN_PROGRAM = 500;
/** Characters of a value a pattern is tested against; the rest of a longer value is not read. */
export const MAX_PATTERN_INPUT = 64 * 1024;

/** A compiled pattern: case-insensitive, matching anywhere in the text unless anchored. */
export interface Pattern {
  test(text: string): boolean;
}

export type PatternResult = { ok: true; value: Pattern } | { ok: false; message: string };

// Constructs people write from JavaScript or PCRE habit that RE2 leaves out, because they
// cannot be matched in linear time; RE2's error names them only by the text it stopped at.
const UNSUPPORTED: [RegExp, string][] = [
  [/^\(\?=/, "Lookahead (?=…) is not supported in patterns."],
  [/^\(\?!/, "Negative lookahead (?!…) is not supported in patterns."],
  [/^\(\?<=/, "Lookbehind (?<=…) is not supported in patterns."],
  [/^\(\?<!/, "Negative lookbehind (?<!…) is not supported in patterns."],
  [/^\\[1-9]/, "Back-references such as \\1 are not supported in patterns."],
  [/^\\k/, "Named back-references \\k<…> are not supported in patterns."],
  [/^\\u/, "\\u escapes are not supported in patterns: write \\x{00E9} for é, or the character itself."],
];

function syntaxMessage(e: RE2JSSyntaxException): string {
  const at = e.getPattern() ?? "";
  for (const [construct, message] of UNSUPPORTED) if (construct.test(at)) return message;
  return `The pattern is not valid: ${e.getDescription()}${at ? ` at ${at.slice(0, 40)}` : ""}.`;
}

/**
 * Compiles a pattern for `matches`, or says in a sentence why it cannot run: too long, RE2
 * syntax it does not have (lookarounds, back-references), or too complex.
 *
 * @example compilePattern("/pricing|/plans").ok // true
 *
 * `maxLength` is for patterns generated from a shorter source (globs), whose size the program
 * bound still limits.
 */
export function compilePattern(source: string, maxLength = MAX_PATTERN_LENGTH): PatternResult {
  if (source.length > maxLength) {
    return { ok: false, message: `The pattern is longer than ${MAX_PATTERN_LENGTH.toLocaleString("en")} characters.` };
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (e) {
    if (e instanceof RE2JSSyntaxException) return { ok: false, message: syntaxMessage(e) };
    return { ok: false, message: "The pattern is not valid." };
  }
  if (re.programSize() > MAX_PATTERN_PROGRAM) {
    return { ok: false, message: "The pattern is too complex (a repeat count or a list of alternatives is too large). Simplify it." };
  }
  const literal = requiredLiteral(source);
  const run = (text: string) => re.test(text.length > MAX_PATTERN_INPUT ? text.slice(0, MAX_PATTERN_INPUT) : text);
  return { ok: true, value: { test: literal === null ? run : (text) => lower(text).includes(literal) && run(text) } };
}

// ASCII letters whose case folding in RE2 reaches beyond ASCII (K: the Kelvin sign, S: the long s):
// a lowercased text could miss them, so a required literal stops before them
const FOLDS_BEYOND_ASCII = /[ks]/i;
const META = "\\.[](){}*+?|^$";

/**
 * Text every match must contain, lowercased (at least 2 characters), or null: the pattern's
 * leading run of plain characters (`/docs/v` of `/docs/v[0-9]+/`). A text whose lowercase does
 * not contain it cannot match, and RE2 (~0.4 µs a test) is not run. Conservative: no `|`
 * anywhere, only printable ASCII, a character a quantifier may skip is left out.
 */
export function requiredLiteral(source: string): string | null {
  if (source.includes("|")) return null;
  let i = source.startsWith("^") ? 1 : 0;
  let literal = "";
  for (; i < source.length; i++) {
    let ch = source[i]!;
    if (ch === "\\") {
      const escaped = source[i + 1];
      if (escaped === undefined || !/^[!-/:-@[-`{-~]$/.test(escaped)) break; // \d, \w, \b …: not one literal character
      ch = escaped;
      i++;
    } else if (META.includes(ch)) break;
    if (ch < " " || ch > "~" || FOLDS_BEYOND_ASCII.test(ch)) break;
    literal += ch.toLowerCase();
  }
  const after = source[i];
  if (after === "?" || after === "*" || after === "{") literal = literal.slice(0, -1);
  return literal.length >= 2 ? literal : null;
}
