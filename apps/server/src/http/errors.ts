import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AppError, type AppErrorCode } from "@leadflow/runtime";

/** The one map from error codes to HTTP status. */
export const httpStatus: Record<AppErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  flow_invalid: 422,
  unavailable: 503,
  rate_limited: 429,
};

export interface ErrorBody {
  error: { code: AppErrorCode | "internal"; message: string; issues?: unknown[]; fields?: unknown[]; retryAfterSeconds?: number };
}

/** Every error leaves as JSON with a code and a message; never a stack trace. */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, ...error.details } };
    if (error.details?.retryAfterSeconds !== undefined) reply.header("retry-after", String(error.details.retryAfterSeconds));
    return reply.status(httpStatus[error.code]).send(body);
  }
  const fe = error as FastifyError;
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const body: ErrorBody = { error: { code: "invalid_input", message: fe.message } };
    return reply.status(fe.statusCode).send(body);
  }
  request.log.error({ err: error }, "unexpected error");
  const body: ErrorBody = { error: { code: "internal", message: "something went wrong on our side; it has been logged" } };
  return reply.status(500).send(body);
}
