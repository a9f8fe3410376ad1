import type { Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import { readSetting, saveSetting, Settings, type Workspace } from "./settings-store.js";

/** The workspace's settings (its time zone), UTC when never saved. */
export const loadWorkspace = (db: Kysely<DB>): Promise<Workspace> => readSetting(db, Settings.workspace);

/** Validates and stores the workspace's settings; throws `invalid_input`. */
export const saveWorkspace = (db: Kysely<DB>, input: unknown): Promise<Workspace> => saveSetting(db, Settings.workspace, input);
