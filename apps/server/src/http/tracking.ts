import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  MAX_TOKEN_LENGTH,
  findUnsubscribeTarget,
  recordClick,
  recordOpen,
  unsubscribeByToken,
} from "@leadflow/runtime";
import type { AppContext } from "../context.js";
import { RATE_LIMITS, rateLimiter, tooManyRequestsMessage } from "./rate-limit.js";

const TokenParams = z.object({ token: z.string().min(1).max(MAX_TOKEN_LENGTH) });

/** 1×1 transparent GIF */
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .status(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .header("referrer-policy", "no-referrer")
    .header("x-robots-tag", "noindex")
    .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#111}
button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #111;background:#111;color:#fff;cursor:pointer}
p{line-height:1.5}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

const invalidLinkPage = (reply: FastifyReply) =>
  page(reply, 404, "This link is not valid", "<p>The link may have been copied incompletely. Nothing was changed.</p>");

const trackingRequest = (request: FastifyRequest) => ({
  userAgent: typeof request.headers["user-agent"] === "string" ? request.headers["user-agent"].slice(0, 1000) : undefined,
  ip: request.ip,
});

/**
 * The public e-mail endpoints (DESIGN §5, §7): `/t/o/:token` open pixel, `/t/c/:token` click
 * redirect, `/u/:token` unsubscribe page (GET shows it; POST unsubscribes, which is also the
 * RFC 8058 one-click request mail clients send). Tokens are signed; a forged or altered one
 * records nothing. Bodies are tiny and ignored; answers never carry a stack trace.
 */
export function trackingRoutes(ctx: AppContext) {
  const { deps } = ctx;
  return async function tracking(app: FastifyInstance) {
    const limit = rateLimiter(app, RATE_LIMITS.tracking);
    // RFC 8058: the one-click POST is form-encoded (or multipart) with a fixed content; only its presence matters
    app.addContentTypeParser(
      ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"],
      { parseAs: "string", bodyLimit: 4096 },
      (_request, body, done) => done(null, { oneClick: String(body).includes("List-Unsubscribe=One-Click") }),
    );
    app.addHook("onRequest", async (request, reply) => {
      const wait = await limit(request);
      if (wait !== undefined) {
        return reply
          .status(429)
          .header("retry-after", String(wait))
          .header("content-type", "text/plain; charset=utf-8")
          .send(tooManyRequestsMessage(wait));
      }
    });
    app.setErrorHandler((error, request, reply) => {
      const status = (error as { statusCode?: number }).statusCode;
      if (status && status >= 400 && status < 500) return reply.status(status).header("content-type", "text/plain; charset=utf-8").send("Bad request");
      request.log.error({ err: error }, "tracking endpoint failed");
      return page(reply, 500, "Something went wrong", "<p>Please try again in a moment.</p>");
    });

    const token = (request: FastifyRequest) => TokenParams.safeParse(request.params);

    app.get("/t/o/:token", { exposeHeadRoute: false }, async (request, reply) => {
      const parsed = token(request);
      const ok = parsed.success && (await recordOpen(deps, parsed.data.token, trackingRequest(request)));
      return reply
        .status(ok ? 200 : parsed.success ? 404 : 400)
        .header("content-type", "image/gif")
        // web mail shows the pixel inside its own pages; the app-wide same-origin policy would block it there
        .header("cross-origin-resource-policy", "cross-origin")
        .header("cache-control", "no-store, no-cache, must-revalidate, private")
        .send(PIXEL);
    });

    app.get("/t/c/:token", { exposeHeadRoute: false }, async (request, reply) => {
      const parsed = token(request);
      const url = parsed.success ? await recordClick(deps, parsed.data.token, trackingRequest(request)) : undefined;
      if (!url) return invalidLinkPage(reply);
      return reply.status(302).header("location", url).header("cache-control", "no-store").header("referrer-policy", "no-referrer").send();
    });

    app.get("/u/:token", async (request, reply) => {
      const parsed = token(request);
      const target = parsed.success ? await findUnsubscribeTarget(deps, parsed.data.token) : undefined;
      if (!target) return invalidLinkPage(reply);
      if (target.alreadyUnsubscribed) {
        return page(reply, 200, "You are unsubscribed", `<p>${escapeHtml(target.maskedEmail)} receives no more e-mail from us.</p>`);
      }
      // GET only asks: link scanners and prefetchers follow GETs, and must not unsubscribe anyone
      return page(
        reply,
        200,
        "Unsubscribe?",
        `<p>Stop all marketing e-mail to <strong>${escapeHtml(target.maskedEmail)}</strong>?</p>
<form method="post"><button type="submit">Unsubscribe</button></form>`,
      );
    });

    app.post("/u/:token", { bodyLimit: 4096 }, async (request, reply) => {
      const parsed = token(request);
      const method = (request.body as { oneClick?: boolean } | undefined)?.oneClick ? "one-click" : "page";
      const done = parsed.success ? await unsubscribeByToken(deps, parsed.data.token, method) : undefined;
      if (!done) return invalidLinkPage(reply);
      return page(reply, 200, "You are unsubscribed", `<p>${escapeHtml(done.maskedEmail)} receives no more e-mail from us.</p>`);
    });
  };
}
