import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError, ingestSiteEvents, verifySiteKey } from "@leadflow/runtime";
import type { AppContext } from "../context.js";
import { jsonTextParser } from "./json-body.js";
import { parseInput } from "./parse-input.js";
import { RATE_LIMITS, rateLimiter } from "./rate-limit.js";

/** A beacon carries at most 64 KiB (the browsers' own cap); a batch at most this many events. */
export const INTAKE_BODY_LIMIT = 64 * 1024;
export const INTAKE_MAX_EVENTS = 50;

const IntakeBody = z.object({
  siteKey: z.string({ error: "siteKey is required" }).min(1).max(200),
  events: z.array(z.unknown(), { error: "events must be a list" }).min(1, "events must not be empty"),
});

/**
 * The snippet as served: the source without its comments and indentation. Read once; the
 * source is kept readable, and what browsers download stays small (a test holds it under
 * 3 KB gzipped).
 */
export function snippetSource(): string {
  const source = readFileSync(new URL("../snippet/p.js", import.meta.url), "utf8");
  return source
    .replace(/^\/\*[\s\S]*?\*\/\n/, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("//"))
    .join("\n");
}

const headerText = (request: FastifyRequest, name: string) => {
  const v = request.headers[name];
  return typeof v === "string" ? v : undefined;
};

/** CORS for the intake: an Origin is echoed only to a caller allowed to read the answer. */
function allowOrigin(reply: FastifyReply, origin: string | undefined) {
  reply.header("vary", "origin");
  if (origin) reply.header("access-control-allow-origin", origin);
}

/**
 * The website snippet (`GET /t/p.js`) and its intake (`POST /t/e`, DESIGN §7, docs/tracking.md):
 * a site key, public by nature, writes tracking events only, from the origins it allows.
 * Bodies come as JSON or as text/plain (what sendBeacon sends, without a CORS preflight).
 */
export function snippetRoutes(ctx: AppContext) {
  const { deps } = ctx;
  const script = snippetSource();
  const etag = `"${createHash("sha256").update(script).digest("base64url").slice(0, 27)}"`;

  return async function snippet(app: FastifyInstance) {
    const limit = rateLimiter(app, RATE_LIMITS.intake);
    app.addContentTypeParser("text/plain", { parseAs: "string", bodyLimit: INTAKE_BODY_LIMIT }, jsonTextParser(app));

    app.get("/t/p.js", async (request, reply) => {
      reply
        .header("content-type", "application/javascript; charset=utf-8")
        .header("cache-control", "public, max-age=3600")
        .header("etag", etag)
        // other sites load it: the app-wide same-origin policy would block the script there
        .header("cross-origin-resource-policy", "cross-origin");
      if (headerText(request, "if-none-match") === etag) return reply.status(304).send();
      return reply.send(script);
    });

    // A preflight carries no body, so no key: it is answered for any origin, and the POST itself is checked.
    app.options("/t/e", async (request, reply) => {
      allowOrigin(reply, headerText(request, "origin"));
      return reply
        .status(204)
        .header("access-control-allow-methods", "POST")
        .header("access-control-allow-headers", "content-type")
        .header("access-control-max-age", "600")
        .send();
    });

    app.post(
      "/t/e",
      {
        bodyLimit: INTAKE_BODY_LIMIT,
        onRequest: async (request) => {
          const wait = await limit(request);
          if (wait !== undefined) {
            throw new AppError("rate_limited", `Too many tracking requests from this address. Try again in ${wait} seconds.`, { retryAfterSeconds: wait });
          }
        },
      },
      async (request, reply) => {
        const body = request.body as { events?: unknown } | undefined;
        if (body && Array.isArray(body.events) && body.events.length > INTAKE_MAX_EVENTS) {
          throw new AppError("payload_too_large", `A request may carry at most ${INTAKE_MAX_EVENTS} events; send the rest in another.`);
        }
        const { siteKey, events } = parseInput(IntakeBody, body, "request: expected { siteKey, events: [...] }");
        const origin = headerText(request, "origin");
        await verifySiteKey(deps.db, siteKey, origin);
        allowOrigin(reply, origin);
        return ingestSiteEvents(deps, events);
      },
    );
  };
}
