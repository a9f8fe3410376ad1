import { gunzip } from "node:zlib";
import { promisify } from "node:util";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError, ingestSegment, SEGMENT_CALLS, verifySiteKey } from "@leadflow/runtime";
import type { AppContext } from "../context.js";
import { MAX_BODY_DEPTH, nestsDeeperThan } from "./json-body.js";
import { rateLimiter, tooManyRequestsMessage } from "./rate-limit.js";

const gunzipAsync = promisify(gunzip);

const KB = 1024;
/** Segment's own limits: 32 KB a call, 500 KB a batch; a gzip body is held to them once inflated too. */
export const SEGMENT_BODY_LIMIT = { call: 32 * KB, batch: 500 * KB } as const;

/**
 * Requests a minute one client address may make to /v1. A server-side SDK flushes every 10 s
 * or 15–20 messages; a busy site's backend stays well under this.
 */
export const SEGMENT_RATE_LIMIT = { max: 600, timeWindow: 60_000 } as const;

declare module "fastify" {
  interface FastifyRequest {
    /** the site key verified from the Basic user, before the body was read */
    segmentKeyChecked?: boolean;
  }
}

/** The write key of a call: HTTP Basic's user (Segment's way; password empty), if sent. */
function basicUser(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header?.startsWith("Basic ")) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const user = decoded.split(":", 1)[0];
  return user || undefined;
}

const origin = (request: FastifyRequest) => (typeof request.headers.origin === "string" ? request.headers.origin : undefined);

const tooLarge = (limit: number) => new AppError("payload_too_large", `The request body is larger than the ${Math.round(limit / KB)} KB this endpoint accepts.`);
const badBody = (message: string) => Object.assign(new AppError("invalid_input", message), { statusCode: 400 });

/**
 * The Segment/RudderStack HTTP tracking API (docs/tracking.md): `POST /v1/batch` and one route a
 * call. The write key is a site key. Bodies are JSON of any declared content type (the
 * RudderStack SDK sends gzip without one), gzip inflated within the route's limit.
 */
export function segmentRoutes(ctx: AppContext) {
  const { deps } = ctx;
  return async function segment(app: FastifyInstance) {
    const limit = rateLimiter(app, SEGMENT_RATE_LIMIT);
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "buffer" }, (request, body, done) => {
      parseBody(request, body as Buffer).then((v) => done(null, v), (e: Error) => done(e, undefined));
    });

    app.addHook("onRequest", async (request) => {
      const wait = await limit(request);
      if (wait !== undefined) throw new AppError("rate_limited", tooManyRequestsMessage(wait), { retryAfterSeconds: wait });
      // a wrong key is refused before its body is read
      const key = basicUser(request);
      if (key !== undefined) {
        await verifySiteKey(deps.db, key, origin(request));
        request.segmentKeyChecked = true;
      }
    });
    app.addHook("preHandler", async (request) => {
      if (request.segmentKeyChecked) return;
      const body = request.body as { writeKey?: unknown } | undefined;
      await verifySiteKey(deps.db, typeof body?.writeKey === "string" ? body.writeKey : undefined, origin(request));
    });

    app.post("/batch", { bodyLimit: SEGMENT_BODY_LIMIT.batch }, async (request) => {
      const body = (request.body ?? {}) as { batch?: unknown; sentAt?: unknown };
      if (!Array.isArray(body.batch)) throw new AppError("invalid_input", "The body needs a batch: an array of messages.");
      return ingestSegment(deps, body.batch, { sentAt: body.sentAt });
    });
    for (const call of SEGMENT_CALLS) {
      app.post(`/${call}`, { bodyLimit: SEGMENT_BODY_LIMIT.call }, async (request) => ingestSegment(deps, [request.body], { call }));
    }
  };
}

/** The body as JSON: gzip inflated (bounded by the route's limit), nesting bounded before parsing. */
async function parseBody(request: FastifyRequest, raw: Buffer): Promise<unknown> {
  const limit = request.routeOptions.bodyLimit ?? SEGMENT_BODY_LIMIT.call;
  const encoding = String(request.headers["content-encoding"] ?? "identity").toLowerCase().trim();
  let bytes = raw;
  if (encoding === "gzip") {
    try {
      bytes = await gunzipAsync(raw, { maxOutputLength: limit });
    } catch (e) {
      if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(limit);
      throw badBody("The request body is not valid gzip.");
    }
  } else if (encoding !== "identity") {
    throw badBody("Only gzip-encoded or plain bodies are accepted.");
  }
  const text = bytes.toString("utf8");
  if (nestsDeeperThan(text, MAX_BODY_DEPTH)) throw badBody(`The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`);
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v) => (key === "__proto__" ? undefined : v));
  } catch {
    throw badBody("The request body is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw badBody("The request body must be a JSON object.");
  return value;
}
