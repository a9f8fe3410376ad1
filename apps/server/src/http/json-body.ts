import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "@leadflow/runtime";

/**
 * Nesting a JSON body may have. JSON.parse copes with any depth, but anything recursive that
 * meets the value later (JSON.stringify, a schema, a driver) overflows the stack near 5,000
 * levels. Every schema checks its own depth (32, see @leadflow/flow safe-input.ts) without
 * recursion, so this bound only has to stop absurd bodies cheaply; it stays above 5,000 so
 * one deep event of a batch is refused at its index, not with the whole batch.
 */
export const MAX_BODY_DEPTH = 10_000;

/** True when `text` nests arrays/objects deeper than `limit` (strings skipped; no recursion). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** An AppError that also carries its status, for error handlers (tracking's) that read only `statusCode`. */
const badBody = (message: string) => Object.assign(new AppError("invalid_input", message), { statusCode: 400 });
const notJson = (detail: string) => badBody(`The request body is not valid JSON (${detail}).`);

/**
 * Replaces Fastify's JSON parser with one that refuses absurd nesting before parsing and says
 * in a sentence what is wrong; `__proto__` and `constructor.prototype` keys are refused, as
 * Fastify's own parser does. An empty body is no body (Fastify's parser refuses it).
 */
export function registerJsonBody(app: FastifyInstance): void {
  const parser = jsonTextParser(app);
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, parser);
}

/** The JSON body parser described above, for routes that take JSON under another content type (a beacon's text/plain). */
export function jsonTextParser(app: FastifyInstance) {
  const parse = app.getDefaultJsonParser("error", "error");
  return (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, value?: unknown) => void) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    // curl -H "content-type: application/json" and many SDKs send the header with no body on
    // routes that take none (publish, retry, rotate): that is no body, as without the header;
    // a route that needs one refuses the missing body as it would any other
    if (text.trim() === "") return done(null, undefined);
    if (nestsDeeperThan(text, MAX_BODY_DEPTH)) {
      return done(badBody(`The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`), undefined);
    }
    parse(request, text, (error: Error | null, value?: unknown) => {
      if (!error) return done(null, value);
      // Fastify words a __proto__ refusal like a syntax error; a body JSON itself reads was refused for its keys
      if (/prototype|constructor/i.test(error.message) || parsesAsJson(text)) {
        return done(notJson("it contains a __proto__ or constructor.prototype key, which is not allowed"), undefined);
      }
      return done(notJson(error.message), undefined);
    });
  };
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
