export { loadEnv, type Env } from "./env.js";
export { startServer, createContext, openConfiguredDatabase, type RunningServer } from "./server.js";
export { buildApp } from "./http/app.js";
export { executeCommand, type CommandRequest } from "./commands.js";
export { runCommand, parseCommand } from "./cli-run.js";
