import { DataDirLockedError } from "@leadflow/db";

/** The step of start-up that failed; it decides which setting the operator has to fix. */
export type StartupPhase = "data-dir" | "database" | "listen";

/** A start-up failure with the step it happened in; `cause` is the original error. */
export class StartupError extends Error {
  constructor(
    readonly phase: StartupPhase,
    cause: unknown,
  ) {
    super(`start-up failed at ${phase}`, { cause });
    this.name = "StartupError";
  }
}

/** Runs one start-up step, tagging what it throws with the step. */
export async function startupStep<T>(phase: StartupPhase, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    throw e instanceof StartupError ? e : new StartupError(phase, e);
  }
}

/** The settings a message may name. */
export interface StartupSettings {
  DATABASE_URL?: string;
  DATA_DIR: string;
  PORT: number;
  HOST: string;
}

interface Coded {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The innermost error that says what went wrong (a system or PostgreSQL code), else the innermost one. */
function rootCause(error: unknown): Coded {
  let current = error as Coded;
  for (let depth = 0; depth < 10; depth++) {
    if (typeof current?.code !== "string" && current?.cause !== undefined) {
      current = current.cause as Coded;
      continue;
    }
    if (typeof current?.code !== "string" && Array.isArray(current?.errors) && current.errors.length > 0) {
      current = current.errors[0] as Coded; // several addresses tried (IPv6 and IPv4): the first says it
      continue;
    }
    break;
  }
  return current ?? {};
}

const firstLine = (message: unknown) => String(message ?? "unknown error").split("\n", 1)[0]!.trim().slice(0, 200);

/** DATABASE_URL fit for a terminal: no password, no query string (which may carry one). */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}${u.password ? ":…" : ""}@` : "";
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}

function withoutPassword(text: string, url: string | undefined): string {
  if (!url) return text;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password ? text.split(password).join("…") : text;
  } catch {
    return text;
  }
}

const SOCKET_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found",
  ETIMEDOUT: "timed out",
  ENETUNREACH: "network unreachable",
  EHOSTUNREACH: "host unreachable",
  ECONNRESET: "the connection was closed",
};

function postgresSentence(code: string, message: string, env: StartupSettings): string {
  const where = describeDatabaseUrl(env.DATABASE_URL!);
  const reason = SOCKET_REASONS[code];
  if (reason) return `cannot reach the database at ${where} (${reason}): is PostgreSQL running, and is DATABASE_URL right?`;
  switch (code) {
    case "28P01":
    case "28000":
      return `the database at ${where} refused the user name or password: check the credentials in DATABASE_URL`;
    case "3D000":
      return `the database in DATABASE_URL (${where}) does not exist: create it (createdb) or fix DATABASE_URL`;
    case "42501":
      return `the database user in DATABASE_URL (${where}) may not create Leadflow's tables: grant it the rights on that database, or use another user`;
    case "53300":
      return `the database at ${where} has no free connections: raise max_connections or stop other clients`;
    case "57P03":
      return `the database at ${where} is starting up or shutting down: try again in a moment`;
    default:
      return `cannot use the database at ${where} (${message}): check DATABASE_URL and that its user may create tables`;
  }
}

function dataDirSentence(code: string, message: string, dir: string): string {
  switch (code) {
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return `cannot write to the data directory ${dir} (permission denied): make it writable for this user, or set DATA_DIR to another directory`;
    case "EEXIST":
    case "ENOTDIR":
      return `the data directory ${dir} is not a directory (a file is in the way): remove that file, or set DATA_DIR to a directory`;
    case "ENOSPC":
      return `no space left for the data directory ${dir}: free some disk space, or set DATA_DIR to another disk`;
    default:
      return `cannot use the data directory ${dir} (${message}): check DATA_DIR`;
  }
}

function listenSentence(code: string, message: string, env: StartupSettings): string {
  switch (code) {
    case "EADDRINUSE":
      return `port ${env.PORT} is already in use: stop the other process or set PORT`;
    case "EACCES":
      return `this user may not listen on port ${env.PORT}: set PORT to a port above 1023`;
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot listen on ${env.HOST}, which is not an address of this machine: set HOST (0.0.0.0 listens on all)`;
    default:
      return `cannot listen on ${env.HOST}:${env.PORT} (${message}): check HOST and PORT`;
  }
}

/**
 * One plain line saying what to fix, for any error start-up throws; never a stack trace, never
 * the database password.
 *
 * @example explainStartupError(new StartupError("listen", eaddrinuse), env)
 *   === "leadflow: port 3000 is already in use: stop the other process or set PORT"
 */
export function explainStartupError(error: unknown, env: StartupSettings): string {
  if (error instanceof DataDirLockedError) return `leadflow: ${error.message}`;
  const cause = rootCause(error);
  if (cause instanceof DataDirLockedError) return `leadflow: ${cause.message}`;
  const code = typeof cause.code === "string" ? cause.code : "";
  const message = firstLine(cause.message);
  const phase = error instanceof StartupError ? error.phase : undefined;
  let sentence: string;
  if (phase === "listen") sentence = listenSentence(code, message, env);
  else if (phase === "data-dir") sentence = dataDirSentence(code, message, env.DATA_DIR);
  else if (phase === "database" && env.DATABASE_URL) sentence = postgresSentence(code, message, env);
  else if (phase === "database") {
    sentence = code.startsWith("E")
      ? dataDirSentence(code, message, env.DATA_DIR)
      : `cannot open the embedded database in ${env.DATA_DIR} (${message}): move that directory aside to start afresh, or set DATA_DIR`;
  } else sentence = `could not start (${message})`;
  return `leadflow: ${withoutPassword(sentence, env.DATABASE_URL)}`;
}
