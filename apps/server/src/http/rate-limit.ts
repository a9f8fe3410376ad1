import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fastifyRateLimit from "@fastify/rate-limit";
import { CREDENTIAL_PROCEDURES } from "@leadflow/api";
import { ERROR_STATUS } from "@leadflow/runtime";
import { sendTrpcError } from "./errors.js";

/**
 * Requests a minute one client (request.ip, which honours TRUST_PROXY; IPv6 by /64) may make to
 * the public routes. The counts live in this process: a cheap brake against floods. The brake
 * that must hold across processes, sign-in failures per account and per address, is counted in
 * the database (runtime's sign-in-throttle.ts) and answers before this one for a person typing.
 */
export const RATE_LIMITS = {
  /** /t (open pixel, click redirect) and /u (unsubscribe): one mail client may fetch many */
  tracking: { max: 300, timeWindow: 60_000 },
  /** /t/e, the website snippet's batches: a visitor sends a few a page; an office behind one address many */
  intake: { max: 600, timeWindow: 60_000 },
  /** auth.signIn and auth.setup */
  credentials: { max: 30, timeWindow: 60_000 },
} as const;

export type RateLimiter = (request: FastifyRequest) => Promise<number | undefined>;

/** Registers @fastify/rate-limit (no route limited by default) and the limit on tRPC's credential procedures. */
export async function registerRateLimits(app: FastifyInstance): Promise<void> {
  await app.register(fastifyRateLimit, { global: false });
  const credentials = rateLimiter(app, RATE_LIMITS.credentials);
  app.addHook("onRequest", async (request, reply) => {
    if (!callsCredentialProcedure(request.url)) return;
    const wait = await credentials(request);
    if (wait !== undefined) return sendTrpcTooMany(reply, wait);
  });
}

/** A limiter of its own (its own counts): resolves to the seconds to wait when over the limit. */
export function rateLimiter(app: FastifyInstance, limit: { max: number; timeWindow: number }): RateLimiter {
  const check = app.createRateLimit(limit);
  return async (request) => {
    const r = await check(request);
    return !r.isAllowed && r.isExceeded ? Math.max(1, r.ttlInSeconds) : undefined;
  };
}

/** Whether a tRPC URL (one procedure or a batch "a,b") calls a credential procedure. */
export function callsCredentialProcedure(url: string): boolean {
  const path = url.split("?", 1)[0]!;
  if (!path.startsWith("/trpc/")) return false;
  let names: string[];
  try {
    names = decodeURIComponent(path.slice("/trpc/".length)).split(",");
  } catch {
    return false; // tRPC refuses a path it cannot decode
  }
  return names.some((n) => (CREDENTIAL_PROCEDURES as readonly string[]).includes(n));
}

export const tooManyRequestsMessage = (seconds: number) => {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `Too many requests. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
};

function sendTrpcTooMany(reply: FastifyReply, seconds: number) {
  const { http, trpc } = ERROR_STATUS.rate_limited;
  reply.header("retry-after", String(seconds));
  return sendTrpcError(reply, http, trpc, tooManyRequestsMessage(seconds), { appCode: "rate_limited", retryAfterSeconds: seconds });
}
