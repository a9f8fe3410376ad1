import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { AppError, ERROR_STATUS, type AppErrorCode } from "@leadflow/runtime";

const readableBytes = (n: number) => (n >= 1024 * 1024 ? `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB` : `${Math.round(n / 1024)} KiB`);

export interface ErrorBody {
  error: { code: AppErrorCode | "internal"; message: string; issues?: unknown[]; fields?: unknown[]; retryAfterSeconds?: number };
}

/**
 * Errors Fastify meets before it finds a route (Fastify's `frameworkErrors`): a broken %-escape
 * in the path, or a path segment longer than the router takes. Same JSON shape as every other
 * error, and the path is not echoed back (it may hold a token or an e-mail address).
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === "FST_ERR_BAD_URL") {
    return reply.status(400).send({ error: { code: "invalid_input", message: "The address is not valid: it has a broken %-escape." } } satisfies ErrorBody);
  }
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH") {
    return reply.status(414).send({ error: { code: "invalid_input", message: "A part of the address is too long." } } satisfies ErrorBody);
  }
  return errorHandler(error, request, reply);
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (`clientErrorHandler`): a path
 * or headers past Node's 16 KiB, malformed HTTP, a request too slow to arrive. Answered in the
 * same JSON shape, then the connection is closed.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === "ECONNRESET" || socket.destroyed || !socket.writable) return;
  const [status, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "The request's address or headers are too long."]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "The request took too long to arrive."]
        : [400, "The request is not valid HTTP."];
  const body = JSON.stringify({ error: { code: "invalid_input", message } } satisfies ErrorBody);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Every error leaves as JSON with a code and a message; never a stack trace. */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, ...error.details } };
    if (error.details?.retryAfterSeconds !== undefined) reply.header("retry-after", String(error.details.retryAfterSeconds));
    return reply.status(ERROR_STATUS[error.code].http).send(body);
  }
  const fe = error as FastifyError;
  if (fe.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    const limit = request.routeOptions.bodyLimit;
    const message = `The request body is larger than the ${limit ? readableBytes(limit) : "size"} this endpoint accepts.`;
    return reply.status(ERROR_STATUS.payload_too_large.http).send({ error: { code: "payload_too_large", message } } satisfies ErrorBody);
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const body: ErrorBody = { error: { code: "invalid_input", message: fe.message } };
    return reply.status(fe.statusCode).send(body);
  }
  request.log.error({ err: error }, "unexpected error");
  const body: ErrorBody = { error: { code: "internal", message: "something went wrong on our side; it has been logged" } };
  return reply.status(500).send(body);
}

/**
 * An error in tRPC's own shape, for a /trpc request refused before tRPC runs (the CSRF guard,
 * the credential rate limit): a batch client gives it to every call, and the web app reads
 * its message like any other.
 */
export function sendTrpcError(
  reply: FastifyReply,
  status: number,
  code: TRPC_ERROR_CODE_KEY,
  message: string,
  data: { appCode?: AppErrorCode; retryAfterSeconds?: number } = {},
) {
  return reply
    .status(status)
    .header("content-type", "application/json; charset=utf-8")
    .send({ error: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: status, ...data } } });
}
