import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { readDataDirOwner } from "@leadflow/db";
import { safeDateTime } from "@leadflow/flow";
import { AppError } from "@leadflow/runtime";
import { userPath, type Env } from "./env.js";
import { createApiClient } from "./client/index.js";
import { CommandRequest, executeCommand, type CommandResult } from "./commands.js";
import { runTransfer } from "./cli-transfer.js";
import { createContext, openConfiguredDatabase } from "./server.js";

export const usage = `usage: pnpm leadflow <command>
  apikey create --name NAME                      create a secret API key (printed alone on the last line)
  user create --email E --password P --role R    create a web user (role admin, marketer or sales)
  flows apply FILE...                            save and publish flow documents (JSON)
  tick [--now ISO]                               run one scheduler pass, as of now or the given instant
  leads import FILE.csv [--delimiter D] [--encoding E] [--restart]
                                                 create or update leads from CSV (an email column), streamed, with
                                                 progress; run again to resume; D , ; or tab, E utf-8 utf-16le utf-16be latin1
  leads export [--out FILE.csv]                  every lead with its scores as CSV (stdout without --out)
  sitekey create --name NAME [--origin URL]...   create a public site key for the website snippet (printed alone on the last line)
  sitekey list                                   list site keys (the keys themselves are shown only at creation)
  sitekey revoke ID                              revoke a site key`;

class UsageError extends Error {}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(userPath(file), "utf8"));
  } catch (e) {
    throw new UsageError(`${file}: ${(e as Error).message}`);
  }
}

export function parseCommand(argv: string[]): CommandRequest {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      email: { type: "string" },
      password: { type: "string" },
      role: { type: "string" },
      now: { type: "string" },
      origin: { type: "string", multiple: true },
      delimiter: { type: "string" },
      encoding: { type: "string" },
      restart: { type: "boolean" },
      out: { type: "string" },
    },
  });
  const [group, action, ...rest] = positionals;
  const need = (v: string | undefined, flag: string) => {
    if (!v) throw new UsageError(`missing --${flag}`);
    return v;
  };
  if (group === "apikey" && action === "create") return { command: "apikey.create", name: need(values.name, "name") };
  if (group === "user" && action === "create")
    return { command: "user.create", email: need(values.email, "email"), password: need(values.password, "password"), role: need(values.role, "role") };
  if (group === "flows" && action === "apply") {
    if (rest.length === 0) throw new UsageError("flows apply needs at least one file");
    return { command: "flows.apply", documents: rest.map((file) => ({ file, document: readJson(file) })) };
  }
  if (group === "tick") {
    if (values.now && Number.isNaN(Date.parse(values.now))) throw new UsageError(`--now: not an ISO date-time: ${values.now}`);
    if (!values.now) return { command: "tick" };
    // a date the database cannot hold (year 0) would fail the tick's first query, not here
    const now = safeDateTime().safeParse(new Date(values.now).toISOString());
    if (!now.success) throw new UsageError(`--now: ${now.error.issues[0]!.message}: ${values.now}`);
    return { command: "tick", now: now.data };
  }
  if (group === "sitekey" && action === "create") return { command: "sitekey.create", name: need(values.name, "name"), origins: values.origin ?? [] };
  if (group === "sitekey" && action === "list") return { command: "sitekey.list" };
  if (group === "sitekey" && action === "revoke") {
    if (!rest[0]) throw new UsageError("sitekey revoke needs the key's id (see sitekey list)");
    return { command: "sitekey.revoke", id: rest[0] };
  }
  if (group === "leads" && (action === "import" || action === "export")) return parseTransfer(action, rest[0], values);
  throw new UsageError(group ? `unknown command: ${positionals.join(" ")}` : "no command given");
}

/** `leads import FILE` / `leads export [--out FILE]`: the file must exist (import), the options be known. */
function parseTransfer(action: "import" | "export", file: string | undefined, values: Record<string, string | boolean | string[] | undefined>): CommandRequest {
  const out = typeof values.out === "string" ? values.out : undefined;
  if (action === "export") return { command: "leads.export", ...(out ? { file: out, path: userPath(out) } : {}) };
  if (!file) throw new UsageError("leads import needs a CSV file");
  const path = userPath(file);
  if (!existsSync(path)) throw new UsageError(`${file}: no such file`);
  const delimiter = values.delimiter === "tab" ? "\t" : values.delimiter;
  const options = CommandRequest.safeParse({ command: "leads.import", file, path, delimiter, encoding: values.encoding, restart: values.restart });
  if (!options.success) throw new UsageError(`leads import: ${options.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return options.data;
}

/** Runs the command in this process, or through the server that owns the embedded database. */
export async function runCommand(env: Env, request: CommandRequest): Promise<CommandResult> {
  if (request.command === "leads.import" || request.command === "leads.export") return runTransfer(env, request);
  if (!env.DATABASE_URL) {
    const owner = readDataDirOwner(env.DATA_DIR);
    if (owner?.url && owner.controlToken) {
      const { data, error } = await createApiClient(owner.url).POST("/internal/cli", { params: { header: { "x-leadflow-control": owner.controlToken } }, body: request });
      if (!data) throw new AppError("unavailable", `the running server refused: ${error?.error.message ?? "no answer"}`);
      return data;
    }
  }
  const { database, lock } = await openConfiguredDatabase(env);
  try {
    return await executeCommand(createContext(database, env), request);
  } finally {
    await database.close();
    lock?.release();
  }
}
