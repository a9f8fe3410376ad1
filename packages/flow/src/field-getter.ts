import type { EvalContext } from "./compiled.types.js";
import { behaviourGetter, parseBehaviourField } from "./behaviour.js";

/** Reads one field of an EvalContext; resolved once per condition, not per evaluation. */
export type FieldGetter = (ctx: EvalContext) => unknown;

/**
 * Looks a dotted name up in a property bag. An exact key wins (a property may
 * literally be called "utm.source"); otherwise the dots walk nested objects.
 */
function propertyGetter(name: string): (bag: Record<string, unknown> | undefined) => unknown {
  const parts = name.split(".");
  if (parts.length === 1) return (bag) => bag?.[name];
  return (bag) => {
    if (!bag) return undefined;
    if (name in bag) return bag[name];
    let cur: unknown = bag;
    for (const part of parts) {
      if (cur === null || typeof cur !== "object") return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  };
}

function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf("@");
  return at >= 0 ? email.slice(at + 1) : undefined;
}

/**
 * Turns a field path (see FieldPath) into a getter. A bare name without a known
 * prefix (fit rules write "country") means a lead property. `eventWhere` is the compiled
 * `where` of a behaviour count (which of the lead's events count).
 */
export function fieldGetter(field: string, eventWhere?: (ctx: EvalContext) => boolean): FieldGetter {
  if (field === "tier") return (c) => c.tier;
  if (field.startsWith("behaviour.")) {
    const f = parseBehaviourField(field);
    if (f) return behaviourGetter(f, eventWhere);
  }
  if (field === "event.type") return (c) => c.event?.type;
  if (field.startsWith("event.properties.")) {
    const get = propertyGetter(field.slice("event.properties.".length));
    return (c) => get(c.event?.properties);
  }
  if (field === "score.total") return (c) => c.scores.total;
  if (field === "score.fit") return (c) => c.scores.fit;
  if (field === "score.engagement") return (c) => c.scores.engagement;
  if (field === "score.trend.weeksDown") return (c) => c.trend?.weeksDown ?? 0;
  if (field.startsWith("score.category.")) {
    const name = field.slice("score.category.".length);
    // a category the lead never scored in is 0, not missing: "pricing < 10" holds for a newcomer
    return (c) => c.scores.categories[name] ?? 0;
  }
  const name = field.startsWith("lead.") ? field.slice("lead.".length) : field;
  if (name === "email") return (c) => c.lead.email;
  if (name === "stage") return (c) => c.lead.stage;
  if (name === "status") return (c) => c.lead.status;
  if (name === "daysSinceActivity") return (c) => c.lead.daysSinceActivity;
  const get = propertyGetter(name);
  if (name === "emailDomain") {
    // derived so fit rules like "email domain in free-mail list" need no extra property
    return (c) => get(c.lead.properties) ?? emailDomain(c.lead.email);
  }
  return (c) => get(c.lead.properties);
}
