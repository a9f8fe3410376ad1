import { readFileSync, writeFileSync, mkdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";

/** What the owning process of a data directory tells others (so the CLI can go through it). */
export interface DataDirOwner {
  pid: number;
  /** where the owning server listens, once it does */
  url?: string;
  /** secret for the owner's local control endpoint; the lock file is readable by its user only */
  controlToken?: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: DataDirOwner,
  ) {
    super(
      `the data directory ${dataDir} is in use by process ${owner.pid}` +
        (owner.url ? ` (a Leadflow server at ${owner.url})` : "") +
        `; embedded PGlite allows one process per directory. Stop that process, or use PostgreSQL (DATABASE_URL) to run several.`,
    );
    this.name = "DataDirLockedError";
  }
}

const lockPath = (dataDir: string) => join(dataDir, "leadflow.lock");

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live owner of a data directory, if any (a stale lock of a dead process counts as none). */
export function readDataDirOwner(dataDir: string): DataDirOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(lockPath(dataDir), "utf8")) as DataDirOwner;
    return owner.pid !== process.pid && isAlive(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

export interface DataDirLock {
  /** records where the owner can be reached */
  update(info: Omit<DataDirOwner, "pid">): void;
  release(): void;
}

/** Takes the data directory for this process or throws DataDirLockedError. */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  const write = (owner: DataDirOwner, flag: "wx" | "w") => writeFileSync(path, JSON.stringify(owner), { flag, mode: 0o600 });
  try {
    write({ pid: process.pid }, "wx");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    const owner = readDataDirOwner(dataDir);
    if (owner) throw new DataDirLockedError(dataDir, owner);
    write({ pid: process.pid }, "w"); // the previous owner died without releasing
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      const owner = JSON.parse(readFileSync(path, "utf8")) as DataDirOwner;
      if (owner.pid === process.pid) unlinkSync(path);
    } catch {
      /* already gone */
    }
  };
  process.once("exit", release);
  return { update: (info) => write({ pid: process.pid, ...info }, "w"), release };
}
