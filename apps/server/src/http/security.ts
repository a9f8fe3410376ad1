import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fastifyHelmet from "@fastify/helmet";
import { sendTrpcError } from "./errors.js";

/**
 * The web app's Content-Security-Policy. The Vite build is same-origin module scripts with no
 * inline script; React Flow positions nodes, edges and the viewport through inline `style`
 * attributes, which only 'unsafe-inline' in style-src allows (a nonce covers <style> elements,
 * never attributes). Scripts stay 'self' only, so an injected style cannot become code.
 */
export const appCsp = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // no upgrade-insecure-requests: the app is also served over plain http (a LAN, a laptop)
};

const HSTS = "max-age=31536000";

/** True when the browser talks https to us: directly, through a trusted proxy (TRUST_PROXY), or per PUBLIC_URL. */
export function isHttps(request: FastifyRequest, publicUrl: string): boolean {
  return request.protocol === "https" || publicUrl.startsWith("https:");
}

const FROM_ANOTHER_SITE =
  "This request came from another site, so Leadflow refused it. Open Leadflow itself and try again.";

export type CrossSiteRefusal = { status: 403 | 415; message: string };

export interface TrpcRequestFacts {
  method: string;
  contentType: string | undefined;
  secFetchSite: string | undefined;
  origin: string | undefined;
  /** origins this server answers as: the request's own (scheme + Host) and PUBLIC_URL's */
  ownOrigins: readonly string[];
}

/**
 * The CSRF rule for the cookie-authenticated tRPC API. A browser lets any site send a form or a
 * "simple" fetch (form-encoded, multipart, text/plain) with the user's cookie, so a body must be
 * JSON, which another origin can only send after a CORS preflight we never grant. Browsers also
 * say where a request comes from (Sec-Fetch-Site, Origin); when they do, it must be this server.
 * Clients that send neither header (the CLI, scripts, tests) are not browsers and carry no
 * ambient cookie, so they pass.
 */
export function refuseCrossSite(facts: TrpcRequestFacts): CrossSiteRefusal | undefined {
  const site = facts.secFetchSite?.toLowerCase();
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return { status: 403, message: FROM_ANOTHER_SITE };
  }
  if (facts.origin !== undefined) {
    const origin = facts.origin.toLowerCase();
    if (!facts.ownOrigins.some((o) => o.toLowerCase() === origin)) {
      return { status: 403, message: FROM_ANOTHER_SITE };
    }
  }
  if (facts.method !== "GET" && facts.method !== "HEAD") {
    const type = (facts.contentType ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") return { status: 415, message: "Leadflow accepts this request as JSON only." };
  }
  return undefined;
}

const header = (request: FastifyRequest, name: string) => {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
};

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

function isTrpcPath(url: string) {
  const path = url.split("?", 1)[0]!;
  return path === "/trpc" || path.startsWith("/trpc/");
}

function sendRefusal(reply: FastifyReply, refusal: CrossSiteRefusal) {
  return sendTrpcError(reply, refusal.status, refusal.status === 403 ? "FORBIDDEN" : "UNSUPPORTED_MEDIA_TYPE", refusal.message);
}

/**
 * Security headers on every answer (helmet; HSTS only over https) and the CSRF guard on /trpc.
 * Register before any route so every route, the static web app and 404s get the headers.
 * The REST API authenticates with a Bearer key a browser never attaches by itself, so it is
 * not CSRF-able and keeps accepting any client.
 */
export async function registerSecurity(app: FastifyInstance, publicUrl: string) {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: appCsp },
    // set below, only over https: over plain http (a LAN, a dev machine) the header is meaningless
    hsts: false,
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    crossOriginResourcePolicy: { policy: "same-origin" },
  });
  const publicOrigin = originOf(publicUrl);

  app.addHook("onRequest", async (request, reply) => {
    if (request.protocol === "https") reply.header("strict-transport-security", HSTS);
    if (!isTrpcPath(request.url)) return;
    const own = request.host ? originOf(`${request.protocol}://${request.host}`) : undefined;
    const refusal = refuseCrossSite({
      method: request.method,
      contentType: header(request, "content-type"),
      secFetchSite: header(request, "sec-fetch-site"),
      origin: header(request, "origin"),
      ownOrigins: [own, publicOrigin].filter((o): o is string => o !== undefined),
    });
    if (refusal) return sendRefusal(reply, refusal);
  });
}
