import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from "fastify";

/** Where log lines go; tests pass a buffer, production leaves it to pino (stdout). */
export interface LogStream {
  write(line: string): void;
}

const MAX_LOGGED_PATH = 300;

/** Path segments that are bearer secrets: whoever reads the log could open, click or unsubscribe. */
const TOKEN_PATH = /^(\/t\/[oc]|\/u)\/[^/]+/;

function looksLikeEmail(segment: string): boolean {
  if (/%40/i.test(segment)) return true;
  return segment.includes("@");
}

/**
 * A request URL as it may be logged: no query string (tRPC `input=`, tracking parameters), no
 * tracking or unsubscribe token, no e-mail address, bounded in length.
 *
 * @example scrubUrl("/api/v1/leads/anna%40example.com?x=1") === "/api/v1/leads/:email"
 */
export function scrubUrl(url: string): string {
  const path = url.split(/[?#]/, 1)[0]!.replace(TOKEN_PATH, "$1/:token");
  const scrubbed = path
    .split("/")
    .map((segment) => (looksLikeEmail(segment) ? ":email" : segment))
    .join("/");
  return scrubbed.length > MAX_LOGGED_PATH ? `${scrubbed.slice(0, MAX_LOGGED_PATH)}…` : scrubbed;
}

interface LoggableRequest {
  method?: string;
  url?: string;
  routeOptions?: { url?: string };
}

/** Fastify's own request line minus what identifies a person: no client address, no headers. */
function serializeRequest(req: LoggableRequest) {
  return { method: req.method, url: scrubUrl(req.url ?? ""), route: req.routeOptions?.url };
}

/** Fastify logs unmatched routes with their raw URL; this one logs the scrubbed one. */
class ScrubbingLogController extends LogController {
  override routeNotFound(request: FastifyRequest, _reply: FastifyReply) {
    if (this.isLogDisabled(request)) return;
    request.log.info({ req: request }, "route not found");
  }
}

const SECRET_HEADERS = ["authorization", "cookie", "set-cookie", "x-leadflow-control"];

/**
 * The server's logger configuration. Nothing personal or secret at `info`: request lines carry
 * the method and a scrubbed path only, and any headers that reach a log line lose their
 * credentials (a plugin or an error object may log them).
 */
export function loggerOptions(level: string, stream?: LogStream): Pick<FastifyServerOptions, "logger" | "logController"> {
  return {
    logger: {
      level,
      ...(stream ? { stream } : {}),
      serializers: { req: serializeRequest as never },
      redact: {
        paths: SECRET_HEADERS.flatMap((h) => ["req", "res", "*"].map((at) => `${at}.headers["${h}"]`).concat(`headers["${h}"]`)),
        censor: "[redacted]",
      },
    },
    logController: new ScrubbingLogController(),
  };
}
