import { z } from "zod";
import { safeDateTime, safeJson, safeString } from "@leadflow/flow";
import { fieldsFromZod } from "../errors.js";

const MAX_PROPERTIES_BYTES = 32 * 1024;

/**
 * One event of a batch. Everything that could fail the batch's statements later (a character the
 * database refuses, nesting too deep, a year the database cannot hold) is refused here, for
 * this event alone: DESIGN §2, a bad event never costs the good ones.
 */
export const EventInput = safeJson().pipe(
  z
    .object({
      id: safeString(200).min(1).optional(),
      leadId: z.uuid("leadId must be a lead's id (a UUID)").optional(),
      email: z.email("email is not a valid e-mail address").max(320).optional(),
      anonymousId: safeString(200).min(1).optional(),
      /** a Segment userId: a visitor key like anonymousId (docs/tracking.md "Identity") */
      userId: safeString(200).min(1).optional(),
      type: z
        .string({ error: "type is required" })
        .min(1, "type is required")
        .max(100)
        .regex(/^[\w.:-]+$/, "type: letters, digits and _ . : - only"),
      properties: safeJson({ maxSize: MAX_PROPERTIES_BYTES })
        .pipe(z.record(z.string(), z.unknown(), { error: "properties must be an object" }))
        .default({}),
      occurredAt: safeDateTime("must be an ISO 8601 date-time, e.g. 2026-05-01T09:30:00Z").optional(),
    })
    .refine((e) => e.leadId || e.email || e.anonymousId || e.userId, "an event needs leadId, email, anonymousId or userId"),
);
export type EventInput = z.infer<typeof EventInput>;

/** An event of the batch that passed validation, with its stored id and idempotency key. */
export interface Pending {
  index: number;
  input: EventInput;
  id: string;
  key: string;
}

/**
 * Validates each event on its own: a bad one is reported by its index, a repeat of an
 * idempotency key within the batch counted as a duplicate; the rest are the batch's work.
 */
export function parseEvents(
  events: unknown[],
  newId: () => string,
): { pending: Pending[]; duplicates: number; errors: { index: number; message: string }[] } {
  const errors: { index: number; message: string }[] = [];
  const pending: Pending[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  events.forEach((raw, index) => {
    const parsed = EventInput.safeParse(raw);
    if (!parsed.success) {
      const message = fieldsFromZod(parsed.error.issues)
        .map((f) => (f.path ? `${f.path}: ${f.message}` : f.message))
        .join("; ");
      errors.push({ index, message });
      return;
    }
    const key = parsed.data.id ?? newId();
    if (seen.has(key)) {
      duplicates++;
      return;
    }
    seen.add(key);
    pending.push({ index, input: parsed.data, id: newId(), key });
  });
  return { pending, duplicates, errors };
}
