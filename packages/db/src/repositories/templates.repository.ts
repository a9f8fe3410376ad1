import { sql, type Kysely } from "kysely";
import type { DB } from "../tables.js";

/** An e-mail template as stored (Liquid source; `text` null = made from the HTML when sent). */
export interface TemplateRow {
  id: string;
  subject: string;
  html: string;
  text: string | null;
}

/** Creates a template or replaces the one with that id. */
export async function upsertTemplate(db: Kysely<DB>, template: TemplateRow): Promise<void> {
  const { id, subject, html, text } = template;
  await db
    .insertInto("templates")
    .values({ id, subject, html, text })
    .onConflict((oc) => oc.column("id").doUpdateSet({ subject, html, text, updated_at: sql`now()` }))
    .execute();
}

export async function findTemplate(db: Kysely<DB>, id: string): Promise<TemplateRow | undefined> {
  return db.selectFrom("templates").select(["id", "subject", "html", "text"]).where("id", "=", id).executeTakeFirst();
}

/** Every template, by id. */
export async function listTemplateRows(db: Kysely<DB>): Promise<TemplateRow[]> {
  return db.selectFrom("templates").select(["id", "subject", "html", "text"]).orderBy("id").execute();
}
