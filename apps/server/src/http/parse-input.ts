import type { z } from "zod";
import { invalidInput } from "@leadflow/runtime";

/**
 * A request's body, query or params checked by `schema`; refused as the runtime refuses
 * its own input (`invalid <what>: <path>: <message>`, with fields).
 */
export function parseInput<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidInput(parsed.error.issues, what);
  return parsed.data;
}
