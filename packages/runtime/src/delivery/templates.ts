import { z } from "zod";
import { findTemplate, listTemplateRows, upsertTemplate, type DB, type Kysely } from "@leadflow/db";
import { checkTemplate, PART_LABELS, type TemplateError } from "@leadflow/mailer";
import { safeJson, safeString, TemplateId } from "@leadflow/flow";
import { AppError, invalidInput, notFound } from "../errors.js";
import { SAMPLE_CHECK_VARIABLES } from "./template-preview.js";

export const TemplateInput = safeJson().pipe(
  z.object({
    subject: safeString(500).min(1, "subject is required"),
    html: safeString(500_000),
    text: safeString(500_000).nullish(),
  }),
);
export type Template = z.infer<typeof TemplateInput> & { id: string };

export async function saveTemplate(db: Kysely<DB>, id: string, input: unknown): Promise<Template> {
  const idOk = TemplateId.safeParse(id);
  if (!idOk.success) throw invalidInput(idOk.error.issues, "template id");
  const parsed = TemplateInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "template");
  const problems = checkTemplate(parsed.data, SAMPLE_CHECK_VARIABLES);
  if (problems.length > 0) {
    throw new AppError("invalid_input", problems.map((p) => `${PART_LABELS[p.part]}: ${p.message}`).join(" "), {
      fields: problems.map((p) => ({ path: p.part, message: p.message })),
    });
  }
  const { subject, html } = parsed.data;
  const text = parsed.data.text ?? null;
  await upsertTemplate(db, { id, subject, html, text });
  return { id, subject, html, text };
}

export async function getTemplate(db: Kysely<DB>, id: string): Promise<Template> {
  const idOk = TemplateId.safeParse(id);
  if (!idOk.success) throw invalidInput(idOk.error.issues, "template id");
  const row = await findTemplate(db, id);
  if (!row) throw notFound(`template ${id}`);
  return row;
}

export async function listTemplates(db: Kysely<DB>): Promise<Template[]> {
  return listTemplateRows(db);
}

/** A template that fails while rendered on a marketer's request (a test send): theirs to fix, so a 400 that says why. */
export function templateRefused(e: TemplateError): AppError {
  return new AppError("invalid_input", `${PART_LABELS[e.part]}: ${e.reason}`, { fields: [{ path: e.part, message: e.reason }] });
}
