import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { MARKETING_ROLES } from "@leadflow/flow";
import { AppError, findSession, looksLikeSiteKey, verifyApiKey } from "@leadflow/runtime";
import type { AppContext } from "../context.js";
import { SESSION_COOKIE } from "./trpc.js";

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function cookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * Who may import and export leads: a secret API key (Bearer), the local CLI's control token
 * (loopback only, while this process owns the embedded database), or a signed-in marketer or
 * admin. A cookie is sent by the browser by itself, so a cookie request must come from this
 * site (Sec-Fetch-Site, when the browser says); the upload's text/csv and PUT, and JSON on POST,
 * cannot be sent cross-site without a CORS preflight, which is never granted.
 */
export async function authorizeTransfer(request: FastifyRequest, ctx: AppContext, controlToken: string | undefined): Promise<void> {
  const { db } = ctx.deps;
  const header = request.headers.authorization;
  if (header?.startsWith("Bearer ")) {
    const key = header.slice(7).trim();
    if (looksLikeSiteKey(key)) throw new AppError("forbidden", "this is a site key: it can only send tracking events");
    await verifyApiKey(db, key);
    return;
  }
  const control = request.headers["x-leadflow-control"];
  if (typeof control === "string" && controlToken) {
    const peer = request.socket.remoteAddress;
    const local = peer === "127.0.0.1" || peer === "::1" || peer === "::ffff:127.0.0.1";
    if (local && sameSecret(control, controlToken)) return;
    throw new AppError("unauthorized", "the control token is for the local CLI only");
  }
  const site = request.headers["sec-fetch-site"];
  if (typeof site === "string" && site !== "same-origin" && site !== "none") throw new AppError("forbidden", "this request came from another site");
  const user = await findSession(db, cookie(request, SESSION_COOKIE), ctx.deps.clock.now());
  if (!user) throw new AppError("unauthorized", "sign in, or send a secret API key (Authorization: Bearer …)");
  if (!MARKETING_ROLES.includes(user.role)) throw new AppError("forbidden", `your role (${user.role}) cannot import or export leads`);
  const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (request.method === "POST" && type !== "application/json") throw new AppError("invalid_input", "send JSON");
}
