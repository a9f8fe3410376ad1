import { z } from "zod";
import { insertMailboxMessage } from "@leadflow/db";
import { renderTemplate, TemplateError, withUnsubscribeLink, type OutgoingMessage, type RenderedMessage } from "@leadflow/mailer";
import type { RuntimeDeps } from "../deps.js";
import { invalidInput } from "../errors.js";
import { getLead } from "../read/lead-view.js";
import { leadVariables } from "./compose-message.js";
import { getTemplate, templateRefused } from "./templates.js";

export const TestEmailInput = z.object({
  to: z.email("to is not a valid e-mail address").max(320),
  /** render with this lead's variables; a sample lead when absent */
  leadEmail: z.email("leadEmail is not a valid e-mail address").max(320).optional(),
});

const sampleLead = (to: string) => ({
  firstName: "Alex", lastName: "Sample", company: "Example Inc", jobTitle: "Head of Marketing", email: to,
  stage: "lead", tier: "Warm", score: 42,
});

/**
 * Sends one rendering of a template to an address, as a marketer's check: subject prefixed
 * "[Test]", no tracking, and an unsubscribe link that leads nowhere (it names no job or lead).
 * Goes through the configured transport, or into the local mailbox. Not an outbox job: it
 * counts toward no cap and is not retried.
 */
export async function sendTestEmail(deps: RuntimeDeps, templateId: string, input: unknown): Promise<{ messageId: string; to: string; subject: string }> {
  const parsed = TestEmailInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "test e-mail");
  const { to, leadEmail } = parsed.data;
  const template = await getTemplate(deps.db, templateId);
  const lead = leadEmail ? await getLead(deps.db, leadEmail) : undefined;
  let rendered: RenderedMessage;
  try {
    rendered = renderTemplate(withUnsubscribeLink(template), {
      lead: lead ? leadVariables(lead) : sampleLead(to),
      owner: lead ? lead.owner : { name: "Sam Seller", email: "sam@example.com" },
      unsubscribe_url: `${deps.config.publicUrl}/u/test-message`,
    });
  } catch (e) {
    throw e instanceof TemplateError ? templateRefused(e) : e;
  }
  const now = deps.clock.now();
  const message: OutgoingMessage = {
    ...rendered,
    subject: `[Test] ${rendered.subject}`,
    from: deps.config.mailFrom,
    to,
    messageId: `<test-${deps.newId()}@${new URL(deps.config.publicUrl).hostname}>`,
  };
  if (deps.transport) await deps.transport.send(message);
  else await insertMailboxMessage(deps.db, null, message, now);
  return { messageId: message.messageId, to, subject: message.subject };
}
