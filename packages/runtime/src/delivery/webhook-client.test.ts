import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendWebhookRequest, type WebhookClientOptions } from "./webhook-client.js";
import { parseAllowList } from "./webhook-target.js";

describe("webhook client", () => {
  let server: Server;
  let port: number;
  const seen: { host: string | undefined; path: string | undefined; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        seen.push({ host: req.headers.host, path: req.url, headers: req.headers, body });
        if (req.url === "/big") {
          res.writeHead(201);
          // far more than the client reads: it must stop early and still report the status
          for (let i = 0; i < 64; i++) res.write("x".repeat(64 * 1024));
          res.end();
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const request = (url: string) => ({ url, method: "POST" as const, headers: { "content-type": "application/json" }, body: '{"a":1}' });
  const options = (overrides: Partial<WebhookClientOptions> = {}): WebhookClientOptions => ({ allow: [], timeoutMs: 2_000, ...overrides });

  it("connects to the address it checked, keeping the URL's host name (no second lookup)", async () => {
    let lookups = 0;
    const resolve = async () => {
      lookups++;
      return ["127.0.0.1"];
    };
    // hooks.example.test exists in no DNS: only the pinned address can have been used
    const result = await sendWebhookRequest(request(`http://hooks.example.test:${port}/in?x=1#frag`), options({ allow: parseAllowList(["hooks.example.test"]), resolve }));
    expect(result).toEqual({ kind: "answered", status: 204 });
    expect(lookups).toBe(1);
    expect(seen.at(-1)).toMatchObject({ host: `hooks.example.test:${port}`, path: "/in?x=1", body: '{"a":1}' });
  });

  it("refuses a name when any address it resolves to is private (DNS rebinding), before connecting", async () => {
    const before = seen.length;
    const resolve = async () => ["93.184.215.14", "127.0.0.1"];
    expect(await sendWebhookRequest(request(`http://rebind.example.test:${port}/`), options({ resolve }))).toEqual({ kind: "refused" });
    expect(await sendWebhookRequest(request(`http://127.0.0.1:${port}/`), options())).toEqual({ kind: "refused" });
    expect(seen.length).toBe(before);
  });

  it("a failed or hanging lookup is simply unreachable", async () => {
    const failing = async (): Promise<string[]> => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    const hanging = () => new Promise<string[]>(() => undefined);
    const empty = async () => [];
    expect(await sendWebhookRequest(request("https://nowhere.example.test/"), options({ resolve: failing }))).toEqual({ kind: "unreachable" });
    expect(await sendWebhookRequest(request("https://nowhere.example.test/"), options({ resolve: hanging, timeoutMs: 200 }))).toEqual({ kind: "unreachable" });
    expect(await sendWebhookRequest(request("https://nowhere.example.test/"), options({ resolve: empty }))).toEqual({ kind: "unreachable" });
  });

  it("reads a large answer only as far as a small bound", async () => {
    const result = await sendWebhookRequest(request(`http://127.0.0.1:${port}/big`), options({ allow: parseAllowList([`127.0.0.1:${port}`]) }));
    expect(result).toEqual({ kind: "answered", status: 201 });
  });

  it("refuses a URL that breaks the rule without resolving it", async () => {
    let lookups = 0;
    const resolve = async () => {
      lookups++;
      return ["93.184.215.14"];
    };
    for (const url of ["file:///etc/passwd", "gopher://127.0.0.1:70/", "http://user:pw@example.test/"]) {
      expect(await sendWebhookRequest(request(url), options({ resolve }))).toMatchObject({ kind: "bad_url" });
    }
    expect(lookups).toBe(0);
  });
});
