import { DataDirLockedError } from "@leadflow/db";
import { loadEnv } from "./env.js";
import { startServer } from "./server.js";

try {
  const env = loadEnv();
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
  if (e instanceof DataDirLockedError || (e instanceof Error && e.message.startsWith("invalid configuration"))) {
    console.error(`leadflow: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
