/**
 * Built-in types that are things that happened to a lead, not things the person did; the
 * Segment API's identify, group and alias say who someone is (a backend may send them any time).
 */
const NOT_ENGAGEMENT = new Set(["email_bounce", "unsubscribe", "identify", "group", "alias"]);

/**
 * Whether an event is engagement: something the person did. Only engagement ends a quiet spell
 * for `trigger.inactive` and moves `last_activity_at` (so `lead.daysSinceActivity`).
 * Page views, forms, clicks, human opens and custom events are engagement. Not engagement:
 * bounces, unsubscribes, anything flagged `machine: true` (Apple Mail Privacy Protection and
 * Google's image proxy fetching the pixel, link scanners following a link), deal and system
 * events (types starting `deal.`, `deal_` or `system.`, or `properties.system: true`).
 *
 * @example isEngagementEvent("email_open", { machine: true }) // false
 */
export function isEngagementEvent(type: string, properties: Record<string, unknown> = {}): boolean {
  if (NOT_ENGAGEMENT.has(type)) return false;
  if (type.startsWith("deal.") || type.startsWith("deal_") || type.startsWith("system.")) return false;
  return properties.machine !== true && properties.system !== true;
}
