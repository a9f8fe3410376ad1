import type { RuntimeDeps } from "@leadflow/runtime";

/** What the HTTP layer and the CLI commands work with, built once by the composition root. */
export interface AppContext {
  deps: RuntimeDeps;
}
