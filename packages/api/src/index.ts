export { appRouter, type AppRouter } from "./root.js";
export type { ApiContext } from "./trpc.js";
export { PUBLIC_PROCEDURES, CREDENTIAL_PROCEDURES } from "./public-procedures.js";
export type { ProcedureMeta } from "./trpc.js";
/** The REST lead-import view the web app's import page reads (REST, not tRPC: the file is streamed). */
export type { LeadImportView } from "@leadflow/runtime";
