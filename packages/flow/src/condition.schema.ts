import { z } from "zod";
import { safeString } from "./safe-input.js";
import { compilePattern } from "./pattern.js";
import { compileGlob } from "./glob.js";
import { BEHAVIOUR_FIELD, MAX_BEHAVIOUR_DAYS, parseBehaviourField } from "./behaviour.js";

/**
 * Operators usable in every condition: flows' `where`, fit rules, segments. String comparison
 * ignores case. `matches` is a regular expression (RE2), `glob` a page rule (see glob.ts).
 */
export const ConditionOp = z.enum([
  "eq", "neq", "contains", "notContains", "startsWith", "endsWith", "matches", "glob",
  "in", "notIn", "gt", "gte", "lt", "lte", "exists", "notExists",
]);
export type ConditionOp = z.infer<typeof ConditionOp>;

const scalar = z.union([safeString(1000), z.number(), z.boolean()]);

/**
 * A field path: `event.type`, `event.properties.<name>`, `lead.email`, `lead.stage`,
 * `lead.<property>`, `score.total|fit|engagement`, `score.category.<name>`, `tier`,
 * `score.trend.weeksDown` (weeks in a row the weekly total fell), the derived
 * `lead.daysSinceActivity` (days since the lead's last event), and the behaviour fields
 * `behaviour.count.<type>.<N>d` and `behaviour.daysSince.<type>` (see behaviour.ts, docs/conditions.md).
 */
export const FieldPath = safeString(200)
  .min(1)
  .refine(
    (f) =>
      /^(event\.type|event\.properties\.[\w.-]+|lead\.[\w.-]+|score\.(total|fit|engagement|trend\.weeksDown)|score\.category\.[\w.-]+|tier)$/.test(f) ||
      BEHAVIOUR_FIELD.test(f),
    "field must be event.type, event.properties.<name>, lead.<property>, score.total|fit|engagement, score.category.<name>, score.trend.weeksDown, tier, behaviour.count.<type>.<N>d or behaviour.daysSince.<type>",
  );

const conditionValue = z.union([scalar, z.array(scalar).max(1000, "at most 1000 values")]).optional();

/** A test on the event alone: the `where` of a behaviour count, tried on each of the lead's events. */
export const EventFilter = z
  .object({
    field: safeString(200).regex(/^(event\.type|event\.properties\.[\w.-]+)$/, "a count's where may only read event.type or event.properties.<name>"),
    op: ConditionOp,
    value: conditionValue,
  })
  .superRefine((c, ctx) => checkValue(c, ctx));
export type EventFilter = z.infer<typeof EventFilter>;

export const Condition = z
  .object({
    field: FieldPath,
    op: ConditionOp,
    value: conditionValue,
    /** only on `behaviour.count.*`: which of the lead's events count */
    where: z.array(EventFilter).max(10, "a count takes at most 10 conditions").optional(),
  })
  .superRefine((c, ctx) => {
    const behaviour = parseBehaviourField(c.field);
    if (c.where !== undefined && behaviour?.kind !== "count") {
      ctx.addIssue({ code: "custom", path: ["where"], message: "only a behaviour.count field takes a where" });
    }
    if (behaviour?.kind === "count" && (behaviour.days < 1 || behaviour.days > MAX_BEHAVIOUR_DAYS)) {
      ctx.addIssue({ code: "custom", path: ["field"], message: `a count looks back between 1 and ${MAX_BEHAVIOUR_DAYS} days` });
    }
    checkValue(c, ctx);
  });
export type Condition = z.infer<typeof Condition>;

function checkValue(c: { op: ConditionOp; value?: z.infer<typeof conditionValue> }, ctx: z.RefinementCtx): void {
  const needsList = c.op === "in" || c.op === "notIn";
  const needsNothing = c.op === "exists" || c.op === "notExists";
  if (needsNothing) return;
  if (c.value === undefined) {
    ctx.addIssue({ code: "custom", path: ["value"], message: `operator ${c.op} needs a value` });
    return;
  }
  if (needsList && !Array.isArray(c.value)) {
    ctx.addIssue({ code: "custom", path: ["value"], message: `operator ${c.op} needs a list of values` });
  }
  if (!needsList && Array.isArray(c.value)) {
    ctx.addIssue({ code: "custom", path: ["value"], message: `operator ${c.op} takes a single value, not a list` });
  }
  if ((c.op === "gt" || c.op === "gte" || c.op === "lt" || c.op === "lte") && typeof c.value !== "number") {
    ctx.addIssue({ code: "custom", path: ["value"], message: `operator ${c.op} needs a number` });
  }
  if (c.op === "matches" && typeof c.value === "string") {
    // the engine that runs it decides: a pattern accepted here is one compile() can run
    const pattern = compilePattern(c.value);
    if (!pattern.ok) ctx.addIssue({ code: "custom", path: ["value"], message: pattern.message });
  }
  if (c.op === "glob" && typeof c.value === "string") {
    const pattern = compileGlob(c.value);
    if (!pattern.ok) ctx.addIssue({ code: "custom", path: ["value"], message: pattern.message });
  }
}
