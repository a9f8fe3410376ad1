import type { Outputs } from "../../trpc.js";

/** A template being edited; `isNew` until its first save. */

export type Template = Outputs["templates"]["list"][number];
export interface Draft { id: string; subject: string; html: string; text: string; isNew: boolean }

/** What a new template starts with. */
export const starter: Omit<Draft, "id" | "isNew"> = {
  subject: "Hi {{ lead.firstName | default: \"there\" }}",
  html: `<p>Hi {{ lead.firstName | default: "there" }},</p>
<p>Thanks for your interest in our product.</p>
<p>Best regards,<br>{{ owner.name | default: "The team" }}</p>
<p style="font-size:12px;color:#888"><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>`,
  text: "",
};

export const toDraft = (t: Template): Draft => ({ id: t.id, subject: t.subject, html: t.html, text: t.text ?? "", isNew: false });
