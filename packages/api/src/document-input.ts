import { z } from "zod";
import { invalidInput } from "@leadflow/runtime";

/**
 * A document schema of the runtime or the flow package (flow, scoring model, reps, template)
 * as a procedure's input. Those schemas check storable JSON first (`safeJson().pipe(shape)`,
 * see @leadflow/flow safe-input.ts), so zod types their input as `unknown`; the web client is
 * told the shape's input type instead. The check is the schema's own, unchanged, and so is the
 * refusal: the runtime's `invalid <what>: <path>: <message>` with `fields` (the web forms list
 * them per field, with paths inside the document), as the REST API answers.
 *
 * @example documentInput(FlowDocumentShape, "flow document")
 */
export function documentInput<Shape extends z.ZodType>(schema: z.ZodPipe<z.ZodType, Shape>, what: string) {
  const checked = z.unknown().transform((value) => {
    const parsed = schema.safeParse(value);
    // thrown, not an issue: tRPC hands the AppError to the error layer as the cause of its BAD_REQUEST
    if (!parsed.success) throw invalidInput(parsed.error.issues, what);
    return parsed.data;
  });
  return checked as unknown as z.ZodType<z.output<Shape>, z.input<Shape>>;
}
