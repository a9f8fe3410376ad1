import type { FastifyInstance } from "fastify";
import fastifyCookie from "@fastify/cookie";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import { appRouter, type AppRouter, type ApiContext } from "@leadflow/api";
import { normalizeIP } from "@fastify/rate-limit";
import { AppError, findSession } from "@leadflow/runtime";
import type { AppContext } from "../context.js";
import { isHttps } from "./security.js";

export const SESSION_COOKIE = "leadflow_session";

/**
 * tRPC for the web app at /trpc: the session cookie (httpOnly, SameSite=Lax, Secure over https)
 * names the user. The CSRF guard in front of it is in security.ts.
 */
export async function trpcRoutes(app: FastifyInstance, ctx: AppContext) {
  await app.register(fastifyCookie);
  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      async createContext({ req, res }): Promise<ApiContext> {
        const token = req.cookies[SESSION_COOKIE];
        const secure = isHttps(req, ctx.deps.config.publicUrl);
        return {
          deps: ctx.deps,
          user: await findSession(ctx.deps.db, token, ctx.deps.clock.now()),
          // an IPv6 client holds a whole /64: counted as one address
          clientIp: normalizeIP(req.ip),
          cookie: {
            token,
            set: (value, expiresAt) =>
              void res.setCookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: "lax", secure, path: "/", expires: expiresAt }),
            clear: () => void res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", secure, path: "/" }),
          },
        };
      },
      // a refusal that says how long to wait carries Retry-After, as the rate limiter's 429s do
      responseMeta({ errors }) {
        const waits = errors.map((e) => (e.cause instanceof AppError ? e.cause.details?.retryAfterSeconds : undefined)).filter((n) => n !== undefined);
        return waits.length > 0 ? { headers: { "retry-after": String(Math.max(...waits)) } } : {};
      },
      onError({ error, path }) {
        if (error.code === "INTERNAL_SERVER_ERROR") app.log.error({ err: error.cause ?? error, path }, "tRPC error");
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });
}
