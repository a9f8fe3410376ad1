import type { Condition } from "./condition.schema.js";
import type { EvalContext, Predicate } from "./compiled.types.js";
import { assertNever } from "./assert-never.js";
import { fieldGetter } from "./field-getter.js";
import { compilePattern } from "./pattern.js";
import { compileGlob } from "./glob.js";
import { lower } from "./lower.js";

type Scalar = string | number | boolean;

const isMissing = (v: unknown): boolean => v === undefined || v === null || v === "";

/** A number, or a string that reads as one ("42", " 4.5 "); NaN otherwise. */
export function asNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "") return Number(v);
  return Number.NaN;
}


/** Equality test against one expected scalar: numbers numerically, everything else as case-insensitive text. */
function equalsTo(expected: Scalar): (actual: unknown) => boolean {
  if (typeof expected === "number") {
    const text = String(expected);
    return (a) => (typeof a === "number" || typeof a === "string" ? asNumber(a) === expected : lower(a) === text);
  }
  const text = lower(expected);
  const num = asNumber(expected);
  return (a) => (typeof a === "number" ? a === num : lower(a) === text);
}

/** Membership in a list, precomputed as Sets so a long list costs one lookup. */
function memberOf(values: Scalar[]): (actual: unknown) => boolean {
  const texts = new Set<string>();
  const nums = new Set<number>();
  for (const v of values) {
    if (typeof v === "number") nums.add(v);
    else texts.add(lower(v));
  }
  return (a) => {
    if (typeof a === "number") return nums.has(a) || texts.has(String(a));
    if (texts.has(lower(a))) return true;
    if (nums.size === 0) return false;
    const n = asNumber(a);
    return !Number.isNaN(n) && nums.has(n);
  };
}

/** Array-valued fields (e.g. a "tags" property) match when any element does. */
function anyElement(test: (a: unknown) => boolean): (a: unknown) => boolean {
  return (a) => (Array.isArray(a) ? a.some((x) => !isMissing(x) && test(x)) : test(a));
}

export type Compilable = Pick<Condition, "field" | "op" | "value"> & { where?: readonly Compilable[] };

function scalarValue(c: Compilable): Scalar {
  const v = c.value;
  if (v === undefined || Array.isArray(v)) throw new Error(`operator ${c.op} on ${c.field} needs a single value`);
  return v;
}

function listValue(c: Compilable): Scalar[] {
  const v = c.value;
  if (v === undefined) throw new Error(`operator ${c.op} on ${c.field} needs a list of values`);
  return Array.isArray(v) ? v : [v];
}

export function valueTest(c: Compilable): (actual: unknown) => boolean {
  switch (c.op) {
    case "exists":
    case "notExists":
      return () => true;
    case "eq":
      return anyElement(equalsTo(scalarValue(c)));
    case "neq": {
      const eq = anyElement(equalsTo(scalarValue(c)));
      return (a) => !eq(a);
    }
    case "contains": {
      const needle = lower(scalarValue(c));
      return (a) => (Array.isArray(a) ? a.some((x) => lower(x) === needle) : lower(a).includes(needle));
    }
    case "notContains": {
      const needle = lower(scalarValue(c));
      return (a) => (Array.isArray(a) ? !a.some((x) => lower(x) === needle) : !lower(a).includes(needle));
    }
    case "startsWith": {
      const prefix = lower(scalarValue(c));
      return (a) => lower(a).startsWith(prefix);
    }
    case "endsWith": {
      const suffix = lower(scalarValue(c));
      return (a) => lower(a).endsWith(suffix);
    }
    case "matches": {
      const pattern = compilePattern(String(scalarValue(c)));
      // validation refuses such a pattern; one stored before patterns ran on RE2 matches
      // nothing rather than stopping every event that reaches its flow
      if (!pattern.ok) return () => false;
      return (a) => pattern.value.test(String(a));
    }
    case "glob": {
      const pattern = compileGlob(String(scalarValue(c)));
      if (!pattern.ok) return () => false;
      return (a) => pattern.value.test(String(a));
    }
    case "in":
      return anyElement(memberOf(listValue(c)));
    case "notIn": {
      const member = anyElement(memberOf(listValue(c)));
      return (a) => !member(a);
    }
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const limit = asNumber(scalarValue(c));
      if (Number.isNaN(limit)) return () => false;
      const cmp =
        c.op === "gt"
          ? (n: number) => n > limit
          : c.op === "gte"
            ? (n: number) => n >= limit
            : c.op === "lt"
              ? (n: number) => n < limit
              : (n: number) => n <= limit;
      return (a) => {
        const n = asNumber(a);
        return !Number.isNaN(n) && cmp(n);
      };
    }
    default:
      return assertNever(c.op, "condition operator");
  }
}

/**
 * Compiles one condition into a closure; the field path, lowercased strings,
 * Sets and patterns (RE2, see pattern.ts) are prepared here, once.
 *
 * Missing values: when the field is undefined, null or "" every operator is
 * false except `notExists` (true) — so `neq`, `notIn` and `notContains` do NOT
 * match a lead that lacks the property. Write `notExists` explicitly for that.
 *
 * Comparisons ignore case; a number against a numeric string compares numerically
 * ("42" eq 42). An array-valued field matches when any element matches
 * (`contains` on an array tests membership).
 */
export function compileCondition(c: Compilable): Predicate {
  const get = fieldGetter(c.field, c.where && c.where.length > 0 ? compileWhere(c.where) : undefined);
  if (c.op === "exists") return (ctx) => !isMissing(get(ctx));
  if (c.op === "notExists") return (ctx) => isMissing(get(ctx));
  const test = valueTest(c);
  const own = ownEventProperty(c.field);
  if (own !== null) return eventPropertyTest(c, own, test);
  return (ctx: EvalContext) => {
    const v = get(ctx);
    return !isMissing(v) && test(v);
  };
}

/**
 * The commonest condition, an event property by its plain name, read in place (the value
 * fieldGetter's would read), with the commonest value kinds tested inline: a string for the text
 * operators, a number for the comparisons. Anything else (arrays, mixed kinds) goes to `test`,
 * so the answer is valueTest's.
 */
function eventPropertyTest(c: Compilable, name: string, test: (v: unknown) => boolean): Predicate {
  const read = (ctx: EvalContext): unknown => ctx.event?.properties?.[name];
  const general: Predicate = (ctx) => {
    const v = read(ctx);
    return v !== undefined && v !== null && v !== "" && test(v);
  };
  const v = c.value;
  if (v === undefined || Array.isArray(v)) return general;
  switch (c.op) {
    case "contains":
    case "startsWith":
    case "endsWith":
    case "eq": {
      if (c.op === "eq" && typeof v === "number") return general;
      const text = lower(v);
      const op = c.op;
      return (ctx) => {
        const a = ctx.event?.properties?.[name];
        if (typeof a !== "string") return a !== undefined && a !== null && test(a);
        if (a === "") return false;
        const l = lower(a);
        return op === "contains" ? l.includes(text) : op === "eq" ? l === text : op === "startsWith" ? l.startsWith(text) : l.endsWith(text);
      };
    }
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const limit = asNumber(v);
      if (Number.isNaN(limit)) return general;
      const op = c.op;
      return (ctx) => {
        const a = ctx.event?.properties?.[name];
        if (typeof a !== "number") return a !== undefined && a !== null && a !== "" && test(a);
        return op === "gt" ? a > limit : op === "gte" ? a >= limit : op === "lt" ? a < limit : a <= limit;
      };
    }
    default:
      return general;
  }
}

/** `name` of `event.properties.<name>` when the name has no dot (so it is the key itself), else null. */
function ownEventProperty(field: string): string | null {
  if (!field.startsWith("event.properties.")) return null;
  const name = field.slice("event.properties.".length);
  return name.includes(".") ? null : name;
}

const always: Predicate = () => true;

/** Compiles a `where` list; an empty list always matches. */
export function compileWhere(where: readonly Compilable[], match: "all" | "any" = "all"): Predicate {
  if (where.length === 0) return always;
  const preds = where.map(compileCondition);
  if (preds.length === 1) return preds[0]!;
  if (match === "all") {
    return (ctx) => {
      for (const p of preds) if (!p(ctx)) return false;
      return true;
    };
  }
  return (ctx) => {
    for (const p of preds) if (p(ctx)) return true;
    return false;
  };
}
