import { z } from "zod";
import { sql, type Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import { isTimeZone } from "@leadflow/engine";
import { safeJson, safeString } from "@leadflow/flow";
import { invalidInput } from "../errors.js";

/** Workspace-wide settings the scheduler needs: the time zone of wait windows and segment crons. */
export const WorkspaceInput = safeJson().pipe(
  z.object({
    timeZone: safeString(100)
      .refine((tz) => isTimeZone(tz), "timeZone must be an IANA time zone, e.g. Europe/Budapest")
      .default("UTC"),
  }),
);
export type Workspace = z.infer<typeof WorkspaceInput>;

const KEY = "workspace";

export async function loadWorkspace(db: Kysely<DB>): Promise<Workspace> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", KEY).executeTakeFirst();
  const parsed = WorkspaceInput.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : { timeZone: "UTC" };
}

export async function saveWorkspace(db: Kysely<DB>, input: unknown): Promise<Workspace> {
  const parsed = WorkspaceInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "workspace");
  const value = JSON.stringify(parsed.data);
  await db
    .insertInto("settings")
    .values({ key: KEY, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: sql`now()` }))
    .execute();
  return parsed.data;
}
