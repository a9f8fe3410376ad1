import { DataDirLockedError } from "@leadflow/db";
import { AppError } from "@leadflow/runtime";
import { loadEnv } from "./env.js";
import { parseCommand, runCommand, usage } from "./cli-run.js";
import type { CommandRequest } from "./commands.js";

async function main() {
  let request: CommandRequest;
  try {
    request = parseCommand(process.argv.slice(2));
  } catch (e) {
    console.error(`leadflow: ${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  try {
    const result = await runCommand(loadEnv(), request);
    for (const line of result.lines) console.log(line);
    process.exit(result.ok ? 0 : 1);
  } catch (e) {
    if (e instanceof AppError || e instanceof DataDirLockedError || (e instanceof Error && e.message.startsWith("invalid configuration"))) {
      console.error(`leadflow: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}

await main();
