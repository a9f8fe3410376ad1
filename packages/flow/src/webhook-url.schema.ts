import { z } from "zod";

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * Why a webhook address is unusable, or undefined when it is fine. The same rule runs at publish,
 * in the editor and again at send time (stored documents may predate it). Only the shape is
 * judged here; where the host points is decided at send time, when it is resolved.
 */
export function webhookUrlProblem(url: string): string | undefined {
  if (url.length > MAX_WEBHOOK_URL_LENGTH) return `The webhook address is too long: at most ${MAX_WEBHOOK_URL_LENGTH.toLocaleString("en")} characters`;
  // the URL parser silently drops tabs and newlines and trims spaces: what is checked must be what is sent
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return "The webhook address must not contain spaces or control characters";
  if (!/^https?:\/\//i.test(url)) return "The webhook address must start with https:// or http://";
  // for http(s) a backslash ends the authority just like a slash
  const authority = /^https?:\/\/([^/?#\\]*)/i.exec(url)![1]!;
  if (authority.includes("@")) return "The webhook address must not contain a user name or password";
  if (authority === "" || authority.startsWith(":")) return "The webhook address must name a host, e.g. https://example.com/hook";
  if (!z.url().safeParse(url).success) return "The webhook address is not a valid web address, e.g. https://example.com/hook";
  return undefined;
}

/** An http(s) address without credentials, naming a host name or an IP address. */
export const WebhookUrl = z
  .string({ error: "Enter the webhook address, e.g. https://example.com/hook" })
  .superRefine((url, ctx) => {
    const problem = webhookUrlProblem(url);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
