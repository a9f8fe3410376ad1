import { z } from "zod";
import { sql, type Kysely } from "kysely";
import type { DB } from "@leadflow/db";
import { checkTemplate, PART_LABELS, type TemplateError } from "@leadflow/mailer";
import { safeJson, safeString } from "@leadflow/flow";
import { AppError, invalidInput, notFound } from "../errors.js";

export const TemplateInput = safeJson().pipe(
  z.object({
    subject: safeString(500).min(1, "subject is required"),
    html: safeString(500_000),
    text: safeString(500_000).nullish(),
  }),
);
export type Template = z.infer<typeof TemplateInput> & { id: string };

export const TemplateId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, "template id: letters, digits, _ and -");

export async function saveTemplate(db: Kysely<DB>, id: string, input: unknown): Promise<Template> {
  const idOk = TemplateId.safeParse(id);
  if (!idOk.success) throw invalidInput(idOk.error.issues, "template id");
  const parsed = TemplateInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "template");
  const problems = checkTemplate(parsed.data);
  if (problems.length > 0) {
    throw new AppError("invalid_input", problems.map((p) => `${PART_LABELS[p.part]}: ${p.message}`).join(" "), {
      fields: problems.map((p) => ({ path: p.part, message: p.message })),
    });
  }
  const { subject, html } = parsed.data;
  const text = parsed.data.text ?? null;
  await db
    .insertInto("templates")
    .values({ id, subject, html, text })
    .onConflict((oc) => oc.column("id").doUpdateSet({ subject, html, text, updated_at: sql`now()` }))
    .execute();
  return { id, subject, html, text };
}

export async function getTemplate(db: Kysely<DB>, id: string): Promise<Template> {
  const idOk = TemplateId.safeParse(id);
  if (!idOk.success) throw invalidInput(idOk.error.issues, "template id");
  const row = await db.selectFrom("templates").select(["id", "subject", "html", "text"]).where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound(`template ${id}`);
  return row;
}

export async function listTemplates(db: Kysely<DB>): Promise<Template[]> {
  return db.selectFrom("templates").select(["id", "subject", "html", "text"]).orderBy("id").execute();
}

/** A template that fails while rendered on a marketer's request (a test send): theirs to fix, so a 400 that says why. */
export function templateRefused(e: TemplateError): AppError {
  return new AppError("invalid_input", `${PART_LABELS[e.part]}: ${e.reason}`, { fields: [{ path: e.part, message: e.reason }] });
}
