import type { Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import type { ScoringModel } from "@leadflow/flow";
import { readSetting, saveSetting, Settings } from "./settings-store.js";

/** The stored model (validated when saved, and again when read), or the default. */
export const loadScoringModel = (db: Kysely<DB>): Promise<ScoringModel> => readSetting(db, Settings.scoringModel);

/** Validates and stores the model (throws `invalid_input`); the caller rescoring leads is `rescoreAllLeads`. */
export const saveScoringModel = (db: Kysely<DB>, input: unknown): Promise<ScoringModel> => saveSetting(db, Settings.scoringModel, input);
