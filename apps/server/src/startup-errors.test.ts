import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataDirLockedError } from "@leadflow/db";
import { TEST_DATABASE_URL } from "@leadflow/db/testing";
import { loadEnv } from "./env.js";
import { openConfiguredDatabase } from "./server.js";
import { describeDatabaseUrl, explainStartupError, StartupError } from "./startup-errors.js";

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });
const pg = { DATABASE_URL: "postgres://leadflow:hunter2@127.0.0.1:1/x?password=hunter2", DATA_DIR: "/srv/leadflow", PORT: 3000, HOST: "0.0.0.0" };
const embedded = { DATA_DIR: "/srv/leadflow", PORT: 3000, HOST: "0.0.0.0" };
/** what migrate() throws when the first query cannot connect */
const migrationFailed = (cause: Error) => new Error(`migration unknown failed: ${cause.message}`, { cause });

describe("explainStartupError", () => {
  it("says the database cannot be reached, where, and what to check, without the password", () => {
    const e = new StartupError("database", migrationFailed(coded("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:1")));
    expect(explainStartupError(e, pg)).toBe(
      "leadflow: cannot reach the database at postgres://leadflow:…@127.0.0.1:1/x (connection refused): is PostgreSQL running, and is DATABASE_URL right?",
    );
    const both = new AggregateError([coded("ECONNREFUSED"), coded("ECONNREFUSED")], "");
    expect(explainStartupError(new StartupError("database", migrationFailed(both)), pg)).toContain("(connection refused)");
    expect(explainStartupError(new StartupError("database", coded("ENOTFOUND", "getaddrinfo ENOTFOUND db")), pg)).toContain("(host not found)");
  });

  it("names the PostgreSQL problems an operator can fix", () => {
    const explain = (code: string) => explainStartupError(new StartupError("database", migrationFailed(coded(code, `server said ${code}`))), pg);
    expect(explain("28P01")).toBe("leadflow: the database at postgres://leadflow:…@127.0.0.1:1/x refused the user name or password: check the credentials in DATABASE_URL");
    expect(explain("3D000")).toContain("does not exist: create it (createdb) or fix DATABASE_URL");
    expect(explain("42501")).toContain("may not create Leadflow's tables");
    expect(explain("XX000")).toBe("leadflow: cannot use the database at postgres://leadflow:…@127.0.0.1:1/x (server said XX000): check DATABASE_URL and that its user may create tables");
  });

  it("never prints the password, even when a driver message quotes it", () => {
    const e = new StartupError("database", coded("XX000", 'bad option "password=hunter2"'));
    const line = explainStartupError(e, pg);
    expect(line).not.toContain("hunter2");
    expect(describeDatabaseUrl("postgres://u:p%40ss@db.example:5433/leads?sslmode=require&password=p")).toBe("postgres://u:…@db.example:5433/leads");
  });

  it("says which port is taken or not allowed, and which setting changes it", () => {
    expect(explainStartupError(new StartupError("listen", coded("EADDRINUSE", "listen EADDRINUSE: address already in use 0.0.0.0:3000")), embedded)).toBe(
      "leadflow: port 3000 is already in use: stop the other process or set PORT",
    );
    expect(explainStartupError(new StartupError("listen", coded("EACCES")), { ...embedded, PORT: 80 })).toBe(
      "leadflow: this user may not listen on port 80: set PORT to a port above 1023",
    );
    expect(explainStartupError(new StartupError("listen", coded("EADDRNOTAVAIL")), { ...embedded, HOST: "10.9.9.9" })).toContain("cannot listen on 10.9.9.9");
  });

  it("says what is wrong with the data directory", () => {
    const dir = (code: string) => explainStartupError(new StartupError("data-dir", coded(code)), embedded);
    expect(dir("EACCES")).toBe(
      "leadflow: cannot write to the data directory /srv/leadflow (permission denied): make it writable for this user, or set DATA_DIR to another directory",
    );
    expect(dir("EROFS")).toContain("permission denied");
    expect(dir("EEXIST")).toBe("leadflow: the data directory /srv/leadflow is not a directory (a file is in the way): remove that file, or set DATA_DIR to a directory");
    expect(dir("ENOTDIR")).toContain("is not a directory");
    expect(explainStartupError(new StartupError("database", coded("EACCES")), embedded)).toContain("cannot write to the data directory");
    expect(explainStartupError(new StartupError("database", new Error("PGlite: database files are incompatible")), embedded)).toContain(
      "cannot open the embedded database in /srv/leadflow (PGlite: database files are incompatible)",
    );
  });

  it("keeps the lock message, and gives anything else one line", () => {
    const locked = new DataDirLockedError("/srv/leadflow", { pid: 42 });
    expect(explainStartupError(new StartupError("data-dir", locked), embedded)).toBe(`leadflow: ${locked.message}`);
    const odd = explainStartupError(new Error("first line\n    at somewhere (file.ts:1:1)"), embedded);
    expect(odd).toBe("leadflow: could not start (first line)");
  });
});

describe("start-up steps tag real failures", () => {
  const dir = mkdtempSync(join(tmpdir(), "leadflow-startup-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a DATA_DIR that is a file", async () => {
    const file = join(dir, "not-a-dir");
    writeFileSync(file, "x");
    const env = loadEnv({ DATA_DIR: file, DATABASE_URL: "" });
    const error = await openConfiguredDatabase(env).then(() => undefined, (e: unknown) => e);
    expect(explainStartupError(error, env)).toBe(`leadflow: the data directory ${file} is not a directory (a file is in the way): remove that file, or set DATA_DIR to a directory`);
  });

  it("a PostgreSQL database that does not exist", async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = "/leadflow_no_such_database";
    const env = loadEnv({ DATABASE_URL: url.toString() });
    const error = await openConfiguredDatabase(env).then(() => undefined, (e: unknown) => e);
    expect(explainStartupError(error, env)).toMatch(/^leadflow: the database in DATABASE_URL \(postgres:\/\/.*\/leadflow_no_such_database\) does not exist/);
  });

  it("a PostgreSQL server that is not there", async () => {
    const env = loadEnv({ DATABASE_URL: "postgres://leadflow:hunter2@127.0.0.1:1/x" });
    const error = await openConfiguredDatabase(env).then(() => undefined, (e: unknown) => e);
    expect(explainStartupError(error, env)).toBe(
      "leadflow: cannot reach the database at postgres://leadflow:…@127.0.0.1:1/x (connection refused): is PostgreSQL running, and is DATABASE_URL right?",
    );
  });
});
