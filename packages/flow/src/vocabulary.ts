import { z } from "zod";

/**
 * The product's shared lists and id patterns, declared once. Engine, runtime, API and web
 * import these; a second literal copy of any of them is a defect (issue 9).
 */

/** A lead's lifecycle stage (DESIGN §1). */
export const LeadStage = z.enum(["subscriber", "lead", "mql", "sql", "customer", "recycled"]);
export type LeadStage = z.infer<typeof LeadStage>;
export const LEAD_STAGES: readonly LeadStage[] = LeadStage.options;

/** A user's role: admins manage users and keys, marketers build, sales work their leads. */
export const Role = z.enum(["admin", "marketer", "sales"]);
export type Role = z.infer<typeof Role>;
export const ROLES: readonly Role[] = Role.options;
/** Roles that may build flows, templates and the model. */
export const MARKETING_ROLES: readonly Role[] = ["admin", "marketer"];

/** An outbox job's status; `dead` is the dead-letter list. */
export const OutboxStatus = z.enum(["pending", "sending", "sent", "skipped", "dead"]);
export type OutboxStatus = z.infer<typeof OutboxStatus>;
export const OUTBOX_STATUSES: readonly OutboxStatus[] = OutboxStatus.options;

/** Ids a marketer types (flow ids, template ids): letters, digits, `_` and `-`, at most 64. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
/** Rep ids additionally allow `.` (they are often e-mail local parts). */
export const REP_ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/i;
/** A canonical UUID (lead ids, key ids, job ids). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const TemplateId = z.string().regex(SLUG_PATTERN, "A template id uses letters, digits, _ and - (at most 64).");
export const RepId = z.string().regex(REP_ID_PATTERN, "A rep id uses letters, digits, _ . and - (at most 64).");
export const Uuid = z.string().regex(UUID_PATTERN, "not a valid id");

/** Turns a name into a slug id (`Welcome series!` → `welcome-series`). */
export function slugify(name: string): string {
  return name.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64);
}
