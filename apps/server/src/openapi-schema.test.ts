import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checked, described, responseSerializer, zodValidatorCompiler } from "./http/openapi-schema.js";

const route = { method: "POST", url: "/x" };

describe("route schemas", () => {
  it("a checked input is refused as the runtime refuses (invalid <what>: path: message, with fields); the handler gets the parsed value", () => {
    const validate = zodValidatorCompiler({ ...route, httpPart: "querystring", schema: checked(z.object({ limit: z.coerce.number().max(5) }), "query") });
    expect(validate({ limit: "3" })).toEqual({ value: { limit: 3 } });
    const refused = validate({ limit: "9" }) as { error: Error & { details?: { fields?: unknown[] } } };
    expect(refused.error.message).toBe("invalid query: limit: Too big: expected number to be <=5");
    expect(refused.error.details?.fields).toEqual([{ path: "limit", message: "Too big: expected number to be <=5" }]);
  });

  it("a described body passes as sent (the runtime checks it); an absent body is undefined, not Fastify's null", () => {
    const validate = zodValidatorCompiler({ ...route, httpPart: "body", schema: described(z.object({ name: z.string() })) });
    expect(validate({ anything: 1 })).toEqual({ value: { anything: 1 } });
    expect(validate(null)).toEqual({ value: undefined });
  });

  it("refuses a route schema that says neither how it is checked nor that the runtime checks it", () => {
    expect(() => zodValidatorCompiler({ ...route, httpPart: "body", schema: z.object({}) })).toThrow(/neither checked\(\) nor described\(\)/);
  });

  it("sends answers as built; with checking, an answer off its documented schema fails", () => {
    const schema = z.object({ accepted: z.number() });
    const args = { schema, method: "POST", url: "/api/v1/events", httpStatus: "200" };
    expect(responseSerializer(false)(args)({ accepted: "3", extra: true })).toBe('{"accepted":"3","extra":true}');
    expect(responseSerializer(true)(args)({ accepted: 3, extra: true })).toBe('{"accepted":3,"extra":true}');
    expect(() => responseSerializer(true)(args)({ accepted: "3" })).toThrow(/does not match its documented schema/);
  });
});
