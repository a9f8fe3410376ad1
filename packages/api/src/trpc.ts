import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { z } from "zod";
import { MARKETING_ROLES, ROLES, type Role } from "@leadflow/flow";
import { AppError, ERROR_STATUS, invalidInput, type AppErrorCode, type RuntimeDeps, type SessionUser } from "@leadflow/runtime";

/** Per request: the runtime's services, the signed-in user, and the session cookie's handle. */
export interface ApiContext {
  deps: RuntimeDeps;
  user: SessionUser | undefined;
  /** the client's address (TRUST_PROXY decides whose): sign-in failures are counted per address */
  clientIp: string;
  cookie: {
    token: string | undefined;
    set(token: string, expiresAt: Date): void;
    clear(): void;
  };
}

/** The runtime's error table (one for HTTP and tRPC), its tRPC codes checked against tRPC's own. */
const trpcCode = (code: AppErrorCode): TRPC_ERROR_CODE_KEY => ERROR_STATUS[code].trpc;

/** What a procedure declares about itself; the route inventory test reads it. */
export interface ProcedureMeta {
  /** the roles allowed, set by the role-checking procedures below; absent = no role check */
  roles?: readonly Role[];
}

const t = initTRPC.context<ApiContext>().meta<ProcedureMeta>().create({
  isDev: false, // never send stack traces
  errorFormatter({ shape, error }) {
    const cause = error.cause instanceof AppError ? error.cause : undefined;
    const internal = error.code === "INTERNAL_SERVER_ERROR" && !cause;
    return {
      ...shape,
      message: internal ? "something went wrong on our side; it has been logged" : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        appCode: cause?.code,
        issues: cause?.details?.issues,
        fields: cause?.details?.fields,
        retryAfterSeconds: cause?.details?.retryAfterSeconds,
      },
    };
  },
});

/**
 * The AppError behind a failed call: one a service threw, or an input schema's refusal, read as
 * the runtime's own (`invalid input: <path>: <message>`, with `fields` for the web's forms).
 */
function appErrorOf(error: TRPCError): AppError | undefined {
  if (error.cause instanceof AppError) return error.cause;
  if (error.code === "BAD_REQUEST" && error.cause instanceof z.ZodError) return invalidInput(error.cause.issues);
  return undefined;
}

const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  const cause = result.ok ? undefined : appErrorOf(result.error);
  if (cause) throw new TRPCError({ code: trpcCode(cause.code), message: cause.message, cause });
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(appErrors);

// The role check comes before any .input(): a caller without the role learns nothing from validation.
const withRole = (roles: readonly Role[]) =>
  publicProcedure.meta({ roles }).use(({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "please sign in" });
    if (!roles.includes(ctx.user.role)) throw new TRPCError({ code: "FORBIDDEN", message: `this needs the role ${roles.join(" or ")}` });
    return next({ ctx: { ...ctx, user: ctx.user } });
  });

/** any signed-in user */
export const authedProcedure = withRole(ROLES);
/** people who shape flows, the model, templates */
export const marketerProcedure = withRole(MARKETING_ROLES);
