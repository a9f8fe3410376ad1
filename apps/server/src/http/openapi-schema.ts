import type { FastifySchemaCompiler, FastifySerializerCompiler } from "fastify";
import { z } from "zod";
import { parseInput } from "./parse-input.js";

/**
 * How a route's zod schemas (body, querystring, params) are checked. `checked` ones here, with
 * the refusal parseInput gives (`invalid <what>: <path>: <message>`, with fields, as before);
 * `described` ones are the runtime's own document schemas, which the runtime function checks at
 * its boundary (shared with tRPC and the CLI, same refusal): the route passes the body through
 * untouched and the schema only describes it in the OpenAPI document.
 */
type InputSpec = { kind: "checked"; what: string } | { kind: "described" };
const specs = new WeakMap<object, InputSpec>();

/** A route input checked before the handler; the handler gets the parsed value. */
export function checked<S extends z.ZodType>(schema: S, what: string): S {
  specs.set(schema, { kind: "checked", what });
  return schema;
}

/**
 * A body the runtime function checks: documented as `schema`'s shape (a `safeJson().pipe(shape)`
 * document schema is documented by its shape), passed through as sent.
 */
export function described<S extends z.ZodType>(schema: S): z.ZodType {
  const def = (schema as unknown as { _zod: { def: { type: string; out?: z.ZodType } } })._zod.def;
  const shape = def.type === "pipe" && def.out ? def.out : schema;
  const copy = shape.clone();
  specs.set(copy, { kind: "described" });
  return copy;
}

/**
 * Fastify's validator for zod route schemas. Fastify hands an absent body over as `null`; it is
 * given on as `undefined`, as the handlers read it before (so a route answers an empty body as
 * it answers none).
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, method, url, httpPart }) => {
  const spec = specs.get(schema);
  if (!spec) throw new Error(`${method} ${url}: the ${httpPart} schema is neither checked() nor described()`);
  return (data) => {
    const value = httpPart === "body" && data === null ? undefined : data;
    if (spec.kind === "described") return { value };
    try {
      return { value: parseInput(schema, value, spec.what) };
    } catch (error) {
      return { error: error as Error };
    }
  };
};

/**
 * Response schemas document the answers (and type the generated client); the answer is sent as
 * the handler built it (JSON.stringify, as without a schema). With `check`, an answer that does
 * not match its schema is a 500 naming the mismatch: tests run so, so the document cannot
 * drift from what the server sends.
 */
export function responseSerializer(check: boolean): FastifySerializerCompiler<z.ZodType> {
  return ({ schema, method, url, httpStatus }) =>
    (data) => {
      if (check && schema instanceof z.ZodType) {
        const parsed = schema.safeParse(data);
        if (!parsed.success) {
          throw new Error(`${method} ${url} ${httpStatus}: the answer does not match its documented schema: ${z.prettifyError(parsed.error)}`);
        }
      }
      return JSON.stringify(data);
    };
}

/** The error body every refusal has (errors.ts ErrorBody). */
export const ErrorSchema = z
  .object({
    error: z.looseObject({
      code: z.string(),
      message: z.string(),
      fields: z.array(z.unknown()).optional(),
      issues: z.array(z.unknown()).optional(),
      retryAfterSeconds: z.number().optional(),
    }),
  })
  .meta({ id: "Error" });

/** Any JSON object: answers whose shape the runtime owns and this layer does not restate. */
export const JsonObject = z.unknown().describe("a JSON object");

/** The refusals a REST route may answer, documented once. */
export const errorResponses = { "4xx": ErrorSchema, "5xx": ErrorSchema } as const;
