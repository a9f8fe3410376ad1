export { appRouter, type AppRouter } from "./root.js";
export type { ApiContext } from "./trpc.js";
export { PUBLIC_PROCEDURES, CREDENTIAL_PROCEDURES } from "./public-procedures.js";
export type { ProcedureMeta } from "./trpc.js";
