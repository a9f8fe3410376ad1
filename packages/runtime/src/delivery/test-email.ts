import { z } from "zod";
import { TemplateError, type OutgoingMessage, type RenderedMessage } from "@leadflow/mailer";
import type { RuntimeDeps } from "../deps.js";
import { invalidInput } from "../errors.js";
import { localMailboxTransport } from "./mailbox.js";
import { renderForMarketer } from "./template-preview.js";
import { getTemplate, templateRefused } from "./templates.js";

export const TestEmailInput = z.object({
  to: z.email("to is not a valid e-mail address").max(320),
  /** render with this lead's variables; the sample lead when absent */
  leadEmail: z.email("leadEmail is not a valid e-mail address").max(320).optional(),
});

/**
 * Sends one rendering of a template to an address, as a marketer's check: subject prefixed
 * "[Test]", no tracking, and an unsubscribe link that leads nowhere (it names no job or lead).
 * Rendered as the preview renders it. Goes through the configured transport, or into the local
 * mailbox. Not an outbox job: it counts toward no cap and is not retried.
 */
export async function sendTestEmail(deps: RuntimeDeps, templateId: string, input: unknown): Promise<{ messageId: string; to: string; subject: string }> {
  const parsed = TestEmailInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "test e-mail");
  const { to, leadEmail } = parsed.data;
  const template = await getTemplate(deps.db, templateId);
  let rendered: RenderedMessage;
  try {
    rendered = await renderForMarketer(deps, template, leadEmail);
  } catch (e) {
    throw e instanceof TemplateError ? templateRefused(e) : e;
  }
  const message: OutgoingMessage = {
    ...rendered,
    subject: `[Test] ${rendered.subject}`,
    from: deps.config.mailFrom,
    to,
    messageId: `<test-${deps.newId()}@${new URL(deps.config.publicUrl).hostname}>`,
  };
  const transport = deps.transport ?? localMailboxTransport(deps.db, { jobId: null, now: deps.clock.now() });
  await transport.send(message);
  return { messageId: message.messageId, to, subject: message.subject };
}
