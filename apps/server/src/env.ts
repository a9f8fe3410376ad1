import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { parse as parseDotEnv } from "dotenv";
import cron from "node-cron";
import { z } from "zod";
import { parseAllowEntry } from "@leadflow/runtime";

const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined))
  .pipe(z.url().optional());

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** embedded PGlite's directory, used when DATABASE_URL is unset */
  DATA_DIR: z.string().default(".leadflow"),
  DATABASE_URL: optionalUrl,
  /** smtp://user:pass@host:port; unset = the local mailbox shown in the web app */
  SMTP_URL: optionalUrl,
  /** base of links in e-mail (tracking, unsubscribe); default http://localhost:PORT */
  PUBLIC_URL: optionalUrl,
  MAIL_FROM: z.string().default("Leadflow <leadflow@localhost>"),
  SCHEDULER_CRON: z
    .string()
    .default("* * * * *")
    .refine((v) => cron.validate(v), "SCHEDULER_CRON is not a cron expression (e.g. * * * * * for every minute)"),
  /** off = this process never ticks (another one does) */
  SCHEDULER: z.enum(["on", "off"]).default("on"),
  /** key signing tracking and unsubscribe links (32+ characters); unset = generated once and kept in the database */
  SECRET: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() ? v.trim() : undefined))
    .pipe(z.string().min(32, "SECRET must be at least 32 characters").optional()),
  /** marketing e-mail a lead may get: "3/7d" = at most 3 in any 7 days; "off" = no cap */
  FREQUENCY_CAP: z
    .string()
    .regex(/^(off|\d+\/\d+d)$/, 'FREQUENCY_CAP is "N/Dd" (e.g. 3/7d) or off')
    .default("3/7d")
    .transform((v) => {
      if (v === "off") return null;
      const [max, days] = v.slice(0, -1).split("/").map(Number);
      return { max: max!, days: days! };
    })
    .refine((c) => c === null || (c.max >= 1 && c.days >= 1), "FREQUENCY_CAP needs at least 1 e-mail and 1 day"),
  /**
   * proxies in front of this server whose X-Forwarded-* headers are believed (client IP, https):
   * unset/false = none, true = any, a number = that many hops, else a comma-separated list of IPs/CIDRs
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v): boolean | number | string[] => {
      const t = (v ?? "").trim();
      if (t === "" || t === "false") return false;
      if (t === "true") return true;
      if (/^\d+$/.test(t)) return Number(t);
      return t.split(",").map((s) => s.trim()).filter(Boolean);
    }),
  /** webhook targets allowed although private or loopback: hosts, host:port pairs and CIDR ranges, comma-separated */
  WEBHOOK_ALLOW: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean))
    .superRefine((entries, ctx) => {
      for (const entry of entries.filter((e) => parseAllowEntry(e) === undefined)) {
        ctx.addIssue({ code: "custom", message: `"${entry}" is not a host, host:port or CIDR range (e.g. 127.0.0.1:8080,10.0.0.0/8)` });
      }
    }),
  /** Bearer token /metrics wants from anywhere but loopback; unset = loopback only (16+ characters) */
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() ? v.trim() : undefined))
    .pipe(z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional()),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof EnvSchema> & { PUBLIC_URL: string };

/**
 * `source` with the variables of `dir/.env` (when the file exists) that `source` does not set:
 * a real environment variable, even an empty one, always wins. Nothing is written to process.env.
 */
export function withDotEnv(source: Record<string, string | undefined>, dir: string | undefined): Record<string, string | undefined> {
  if (dir === undefined) return source;
  let text: string;
  try {
    text = readFileSync(resolve(dir, ".env"), "utf8");
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return source; // no .env: the environment alone
    throw new Error(`cannot read ${resolve(dir, ".env")}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const fromFile = Object.entries(parseDotEnv(text)).filter(([key]) => source[key] === undefined);
  return fromFile.length === 0 ? source : { ...Object.fromEntries(fromFile), ...source };
}

/**
 * The only place that reads the environment (and `.env` where the command was run, see withDotEnv). Relative paths are taken from where the user ran
 * the command (pnpm runs scripts in the package's folder and keeps the caller's in INIT_CWD).
 */
export function loadEnv(
  source: Record<string, string | undefined> = process.env,
  dotEnvDir: string | undefined = source === process.env ? (source.INIT_CWD ?? process.cwd()) : undefined,
): Env {
  source = withDotEnv(source, dotEnvDir);
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const base = source.INIT_CWD ?? process.cwd();
  return {
    ...env,
    DATA_DIR: isAbsolute(env.DATA_DIR) ? env.DATA_DIR : resolve(base, env.DATA_DIR),
    PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
  };
}

/** Resolves a path the user typed on the command line. */
export function userPath(path: string, source: Record<string, string | undefined> = process.env): string {
  return isAbsolute(path) ? path : resolve(source.INIT_CWD ?? process.cwd(), path);
}
