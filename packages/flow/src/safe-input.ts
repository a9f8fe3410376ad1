import { z } from "zod";

/**
 * The one rule for text that reaches the database. PostgreSQL refuses NUL in `text` and
 * `\u0000` in `jsonb`, and a lone UTF-16 surrogate is either refused (jsonb) or silently
 * turned into U+FFFD (text): a value with one would fail a whole statement, or change.
 * So every string and every object key is checked here, where the input arrives, and
 * refused per field with a message a marketer can act on.
 */

/** How deep free-form JSON may nest; a document of ours needs fewer than ten levels. */
export const MAX_JSON_DEPTH = 32;
/** Longest object key (a property name) in free-form JSON. */
export const MAX_KEY_LENGTH = 200;
/** Dates the product handles (and that every database and JavaScript Date represent): 1970-01-01 … 2100-12-31. */
export const EARLIEST_DATE = "1970-01-01T00:00:00.000Z";
export const LATEST_DATE = "2100-12-31T23:59:59.999Z";

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Issues reported for one value at most: a body of a million NULs needs one message, not a million. */
const MAX_ISSUES = 10;
/** Values visited at most: bounds the walk over objects that share children (possible from code, not from JSON text). */
const MAX_VISITS = 1_000_000;

/** Why `s` cannot be stored (e.g. `NUL`), or undefined when it can. */
export function unstorableCharacter(s: string): string | undefined {
  const m = UNSTORABLE.exec(s);
  if (!m) return undefined;
  if (m[0] === "\u0000") return "NUL";
  return `a broken Unicode character, U+${m[0].charCodeAt(0).toString(16).toUpperCase()} on its own`;
}

const cannotStore = (why: string) => `contains a character that cannot be stored (${why})`;

/** A key as it can be shown in a message: escaped (so NUL shows as \u0000) and shortened. */
const showKey = (key: string) => JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);

/**
 * A string that can be stored: at most `max` characters, no NUL, no lone surrogate. Chain
 * `.min()`, `.regex()` as on any zod string.
 *
 * @example safeString(200).min(1, "name is required")
 */
export function safeString(max: number) {
  return z
    .string()
    .max(max, `at most ${max} characters`)
    .superRefine((s, ctx) => {
      const why = unstorableCharacter(s);
      if (why) ctx.addIssue({ code: "custom", message: cannotStore(why), input: s });
    });
}

export interface JsonLimits {
  /** levels of nesting allowed below the value itself (default MAX_JSON_DEPTH) */
  maxDepth?: number;
  /** characters of the value's JSON text allowed */
  maxSize?: number;
  /** characters of an object key allowed (default MAX_KEY_LENGTH) */
  maxKeyLength?: number;
}

export interface JsonIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Every problem that stops `value` from being stored as JSON, at most a few: a string or key
 * with a character that cannot be stored, a `__proto__` key, a key too long, nesting deeper
 * than the limit, a JavaScript value JSON does not have, or a size over the limit.
 *
 * Walks with an explicit stack, not recursion: a value nested 100,000 deep gets an issue, not
 * a stack overflow. Only once the depth is known to be small is JSON.stringify (recursive)
 * called for the size.
 */
export function jsonIssues(value: unknown, limits: JsonLimits = {}): JsonIssue[] {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const maxKey = limits.maxKeyLength ?? MAX_KEY_LENGTH;
  const issues: JsonIssue[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  let visits = 0;
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const { value: v, path } = stack.pop()!;
    if (++visits > MAX_VISITS) {
      issues.push({ path: [], message: "is too large" });
      break;
    }
    if (typeof v === "string") {
      const why = unstorableCharacter(v);
      if (why) issues.push({ path, message: cannotStore(why) });
      continue;
    }
    if (typeof v === "bigint" || typeof v === "function" || typeof v === "symbol") {
      issues.push({ path, message: "is not a JSON value" });
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (path.length >= maxDepth) {
      // the first level below the value says where; the full path of a deep value is unreadable
      issues.push({ path: path.slice(0, 1), message: `nested more than ${maxDepth} levels deep` });
      break;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
      continue;
    }
    const children: typeof stack = [];
    for (const key of Object.keys(v)) {
      const why = unstorableCharacter(key);
      if (why) issues.push({ path, message: `the name ${showKey(key)} ${cannotStore(why)}` });
      else if (key === "__proto__") issues.push({ path, message: "the name __proto__ is not allowed" });
      else if (key.length > maxKey) issues.push({ path, message: `the name ${showKey(key)} is longer than ${maxKey} characters` });
      else children.push({ value: (v as Record<string, unknown>)[key], path: [...path, key] });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  if (issues.length === 0 && limits.maxSize !== undefined) {
    const size = JSON.stringify(value)?.length ?? 0;
    if (size > limits.maxSize) issues.push({ path: [], message: `is larger than ${readableSize(limits.maxSize)}` });
  }
  return issues.slice(0, MAX_ISSUES);
}

const readableSize = (n: number) => (n >= 1024 && n % 1024 === 0 ? `${n / 1024} KiB` : `${n} characters`);

/**
 * Free-form JSON that can be stored (see jsonIssues). Pipe it into the schema of the shape:
 * that schema then never sees (nor recurses into) a value nested too deep.
 *
 * @example safeJson({ maxSize: 32 * 1024 }).pipe(z.record(z.string(), z.unknown()))
 */
export function safeJson(limits: JsonLimits = {}) {
  return z.unknown().superRefine((value, ctx) => {
    for (const issue of jsonIssues(value, limits)) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message, input: value });
  });
}

/**
 * An ISO 8601 date-time with an offset, between 1970 and 2100, given back normalised to UTC
 * (`…Z`): year 0000 or 275760 is valid ISO but not a date the database or the scheduler handle.
 */
export function safeDateTime(message = "must be an ISO 8601 date-time, e.g. 2026-05-01T09:30:00Z") {
  return z.iso
    .datetime({ offset: true, error: message })
    .refine((s) => {
      const t = Date.parse(s);
      // a string that is no date-time at all has its issue from the format check already
      return Number.isNaN(t) || (t >= Date.parse(EARLIEST_DATE) && t <= Date.parse(LATEST_DATE));
    }, "must be between 1970-01-01 and 2100-12-31")
    .transform((s) => new Date(s).toISOString());
}
