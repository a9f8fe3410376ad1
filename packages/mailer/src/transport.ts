import nodemailer from "nodemailer";

export interface OutgoingMessage {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** stable per outbox job, so a retry after an unknown outcome is recognisable */
  messageId: string;
  headers?: Record<string, string>;
}

/** A rejection the receiving server gave for this address (5xx): retrying will not help. */
export class PermanentDeliveryError extends Error {
  constructor(
    message: string,
    readonly responseCode?: number,
    /** the server refused the recipient's address itself (RCPT TO): a hard bounce */
    readonly recipientRejected = false,
  ) {
    super(message);
    this.name = "PermanentDeliveryError";
  }
}

/**
 * Where a message goes: SMTP (`createSmtpTransport`), or the local mailbox, which the runtime
 * makes per transaction (`localMailboxTransport(trx, …)`) so that storing a message commits with
 * marking its job sent. `send` resolves once the message is accepted.
 */
export interface MailTransport {
  readonly kind: "smtp" | "mailbox";
  send(message: OutgoingMessage): Promise<void>;
  close(): Promise<void>;
}

/** Sends through the SMTP server at `url` (smtp://user:pass@host:port, smtps://…). */
export function createSmtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    kind: "smtp",
    async send(m) {
      try {
        await transporter.sendMail({
          from: m.from,
          to: m.to,
          subject: m.subject,
          html: m.html,
          text: m.text,
          messageId: m.messageId,
          headers: m.headers,
        });
      } catch (e) {
        const code = (e as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500 && code < 600) {
          const command = (e as { command?: string }).command ?? "";
          throw new PermanentDeliveryError((e as Error).message, code, /^RCPT/i.test(command));
        }
        throw e;
      }
    },
    async close() {
      transporter.close();
    },
  };
}
