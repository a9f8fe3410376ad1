import { lookup as dnsLookup } from "node:dns/promises";
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { webhookUrlProblem } from "@leadflow/flow";
import { targetAllowed, type AllowEntry } from "./webhook-target.js";

/** What a webhook attempt came to. Network detail is deliberately absent: see `unreachable`. */
export type WebhookResult =
  | { kind: "answered"; status: number }
  /** the address breaks the URL rule (a stored document may predate it) */
  | { kind: "bad_url"; message: string }
  /** the host is, or resolves to, a private or local address that WEBHOOK_ALLOW does not name */
  | { kind: "refused" }
  /**
   * no answer: DNS failed, the connection was refused or reset, TLS failed, or the deadline passed.
   * One outcome for all, so a stored error cannot be used to map which ports are open inside.
   */
  | { kind: "unreachable" };

export interface WebhookRequest {
  url: string;
  method: "POST" | "PUT";
  headers: Record<string, string>;
  body: string;
}

export interface WebhookClientOptions {
  allow: readonly AllowEntry[];
  /** the whole attempt (DNS, connect, TLS, request, answer) ends after this */
  timeoutMs: number;
  /** DNS resolution, every address of the host (a test may substitute one) */
  resolve?: (hostname: string) => Promise<string[]>;
}

/** Of the answer only the status matters; the body is read no further than this and then dropped. */
const MAX_RESPONSE_BYTES = 16 * 1024;

const resolveAll = async (hostname: string): Promise<string[]> =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Sends one webhook request, guarded against server-side request forgery: the host is resolved
 * once, every address it resolves to must be public (or named by WEBHOOK_ALLOW), and the
 * connection goes to exactly those checked addresses (no second lookup an attacker's DNS could
 * answer differently). Redirects are not followed. Never throws for anything the network does.
 */
export async function sendWebhookRequest(req: WebhookRequest, options: WebhookClientOptions): Promise<WebhookResult> {
  const problem = webhookUrlProblem(req.url);
  if (problem) return { kind: "bad_url", message: problem };
  const url = new URL(req.url);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  const deadline = Date.now() + options.timeoutMs;

  let addresses: string[];
  if (isIP(hostname)) addresses = [hostname];
  else {
    const resolved = await withDeadline((options.resolve ?? resolveAll)(hostname), deadline);
    if (!resolved.ok || resolved.value.length === 0) return { kind: "unreachable" };
    addresses = resolved.value;
  }
  if (!targetAllowed(options.allow, { hostname, port, addresses })) return { kind: "refused" };

  const requestOptions: RequestOptions = {
    method: req.method,
    host: hostname,
    port,
    path: `${url.pathname}${url.search}`,
    headers: { ...req.headers, host: url.host, "content-length": String(Buffer.byteLength(req.body)) },
    agent: false,
    lookup: pinnedLookup(addresses),
    timeout: Math.max(1, deadline - Date.now()),
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<WebhookResult>((resolve) => {
    let done = false;
    let client: ClientRequest | undefined;
    const finish = (result: WebhookResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      client?.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ kind: "unreachable" }), Math.max(1, deadline - Date.now()));
    try {
      client = send(requestOptions, (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        let received = 0;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) finish({ kind: "answered", status });
        });
        res.on("end", () => finish({ kind: "answered", status }));
        // the status line arrived; a body cut short does not change what the receiver said
        res.on("error", () => finish({ kind: "answered", status }));
        res.on("close", () => finish({ kind: "answered", status }));
      });
    } catch {
      finish({ kind: "unreachable" });
      return;
    }
    client.on("timeout", () => finish({ kind: "unreachable" }));
    client.on("error", () => finish({ kind: "unreachable" }));
    client.end(req.body);
  });
}

/** A lookup that answers with the addresses already checked, in the shapes net.connect asks for. */
function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const entries = addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? entries.filter((e) => e.family === options.family) : entries;
    if (wanted.length === 0) {
      callback(Object.assign(new Error("no checked address of that family"), { code: "ENOTFOUND" }), "", 4);
      return;
    }
    if (options.all) callback(null, wanted);
    else callback(null, wanted[0]!.address, wanted[0]!.family);
  };
}

async function withDeadline<T>(work: Promise<T>, deadline: number): Promise<{ ok: true; value: T } | { ok: false }> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<{ ok: false }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false }), Math.max(1, deadline - Date.now()));
  });
  // settled either way, so a lookup that fails after the deadline is no unhandled rejection
  const settled = work.then(
    (value) => ({ ok: true as const, value }),
    () => ({ ok: false as const }),
  );
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}
