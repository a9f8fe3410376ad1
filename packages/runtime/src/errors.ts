import type { FlowIssue } from "@leadflow/flow";

/**
 * Error codes by how a caller should react. ERROR_STATUS below gives each its HTTP status and
 * its tRPC code: the one table both the REST handler and the tRPC layer answer from.
 */
export type AppErrorCode =
  /** the request is malformed or fails validation: fix the input */
  | "invalid_input"
  /** no or a wrong credential */
  | "unauthorized"
  /** signed in, but the role may not do this */
  | "forbidden"
  /** the thing named does not exist */
  | "not_found"
  /** a flow failed validation; `issues` says where */
  | "flow_invalid"
  /** the state changed under the request (retry may help) */
  | "conflict"
  /** a dependency (database owner, SMTP) is not available */
  | "unavailable"
  /** too many attempts or requests: wait `retryAfterSeconds`, then try again */
  | "rate_limited"
  /** the request body is larger than the endpoint accepts: send less (e.g. smaller batches) */
  | "payload_too_large";

/**
 * The one error table: each code's HTTP status (REST, and the status tRPC answers with) and
 * its tRPC code (the names of @trpc/server's TRPC_ERROR_CODE_KEY; the api package checks them
 * against that type, as runtime does not depend on tRPC).
 */
export const ERROR_STATUS = {
  invalid_input: { http: 400, trpc: "BAD_REQUEST" },
  unauthorized: { http: 401, trpc: "UNAUTHORIZED" },
  forbidden: { http: 403, trpc: "FORBIDDEN" },
  not_found: { http: 404, trpc: "NOT_FOUND" },
  conflict: { http: 409, trpc: "CONFLICT" },
  flow_invalid: { http: 422, trpc: "UNPROCESSABLE_CONTENT" },
  unavailable: { http: 503, trpc: "SERVICE_UNAVAILABLE" },
  rate_limited: { http: 429, trpc: "TOO_MANY_REQUESTS" },
  payload_too_large: { http: 413, trpc: "PAYLOAD_TOO_LARGE" },
} as const satisfies Record<AppErrorCode, { http: number; trpc: string }>;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: { issues?: FlowIssue[]; fields?: { path: string; message: string }[]; retryAfterSeconds?: number },
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);

/** zod issues -> readable field list, e.g. `events.0.type: Required` */
export function fieldsFromZod(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  return issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

export function invalidInput(issues: readonly { path: readonly PropertyKey[]; message: string }[], what = "input") {
  const fields = fieldsFromZod(issues);
  const summary = fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join("; ");
  return new AppError("invalid_input", `invalid ${what}: ${summary}`, { fields });
}
