import { loadEnv, type Env } from "./env.js";
import { startServer } from "./server.js";
import { explainStartupError } from "./startup-errors.js";

let env: Env;
try {
  env = loadEnv();
} catch (e) {
  // loadEnv's message lists every bad setting, one per line
  console.error(`leadflow: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}

try {
  const server = await startServer(env);
  const where = env.DATABASE_URL ? "PostgreSQL" : `embedded PGlite in ${env.DATA_DIR}`;
  console.log(`Leadflow listening on ${env.PUBLIC_URL} (${server.url}), database: ${where}`);
  const shutdown = async () => {
    await server.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
} catch (e) {
  // an operator reads this: one sentence saying what to fix, not a stack trace
  console.error(explainStartupError(e, env));
  if (env.LOG_LEVEL === "debug" || env.LOG_LEVEL === "trace") console.error(e);
  process.exit(1);
}
