export * from "./tables.js";
export { migrate } from "./migrations.js";
export { openDatabase, type Database, type DatabaseKind, type DatabaseOptions } from "./connect.js";
export { acquireDataDirLock, readDataDirOwner, DataDirLockedError, type DataDirLock, type DataDirOwner } from "./lock.js";
export { sql, type Kysely, type Transaction } from "kysely";
export * from "./repositories/webhooks.repository.js";
export * from "./repositories/sessions.repository.js";
export * from "./repositories/sign-in-throttle.repository.js";
export * from "./repositories/users.repository.js";
