import { z } from "zod";
import { safeString } from "./safe-input.js";
import { compilePattern } from "./pattern.js";

/** Operators usable in every condition: flows' `where`, fit rules, segments. String comparison ignores case. */
export const ConditionOp = z.enum([
  "eq", "neq", "contains", "notContains", "startsWith", "endsWith", "matches",
  "in", "notIn", "gt", "gte", "lt", "lte", "exists", "notExists",
]);
export type ConditionOp = z.infer<typeof ConditionOp>;

const scalar = z.union([safeString(1000), z.number(), z.boolean()]);

/**
 * A field path: `event.type`, `event.properties.<name>`, `lead.email`, `lead.stage`,
 * `lead.<property>`, `score.total|fit|engagement`, `score.category.<name>`, `tier`,
 * `score.trend.weeksDown` (weeks in a row the weekly total fell) and the derived
 * `lead.daysSinceActivity` (days since the lead's last event).
 */
export const FieldPath = safeString(200)
  .min(1)
  .regex(
    /^(event\.type|event\.properties\.[\w.-]+|lead\.[\w.-]+|score\.(total|fit|engagement|trend\.weeksDown)|score\.category\.[\w.-]+|tier)$/,
    "field must be event.type, event.properties.<name>, lead.<property>, score.total|fit|engagement, score.category.<name>, score.trend.weeksDown or tier",
  );

export const Condition = z
  .object({
    field: FieldPath,
    op: ConditionOp,
    value: z.union([scalar, z.array(scalar).max(1000, "at most 1000 values")]).optional(),
  })
  .superRefine((c, ctx) => {
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
  });
export type Condition = z.infer<typeof Condition>;
