import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { ensureUser, leadflow, rest, signIn } from "./support.js";

/**
 * The website snippet on a real (tiny) website: served by this spec on 127.0.0.1 on another
 * port, so another origin than Leadflow, as a customer's site is.
 */
const LEADFLOW = process.env.LEADFLOW_E2E_URL!;
let site: Server;
let siteOrigin = "";
let apiKey = "";
let siteKey = "";
let elsewhereKey = "";
/** the key the site's pages carry; a test switches it */
let servedKey = "";

const layout = (title: string, body: string, tagAttributes = "") => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<script async src="${LEADFLOW}/t/p.js" data-site-key="${servedKey}"${tagAttributes}></script></head>
<body><nav><a href="/">Home</a> <a href="/product">Product</a> <a href="/pricing?utm_source=newsletter">Pricing</a> <a href="/contact">Contact</a></nav>
<h1>${title}</h1>${body}</body></html>`;

const pages: Record<string, () => string> = {
  "/": () => layout("Acme home", "<p>Welcome.</p>"),
  "/product": () => layout("Acme product", "<p>The product.</p>"),
  "/pricing": () => layout("Acme pricing", "<p>Plans.</p>"),
  "/contact": () =>
    layout(
      "Talk to us",
      `<form data-leadflow-form id="contact" action="/thanks" method="get">
        <label>E-mail <input type="email" name="work_email"></label>
        <label>Company <input name="company"></label>
        <label>Password <input type="password" name="pw"></label>
        <input type="hidden" name="csrf_token" value="secret-token">
        <button type="submit">Send</button></form>`,
    ),
  "/thanks": () => layout("Thanks", "<p>We will be in touch.</p>"),
  "/app": () => layout("Acme app", "<p>A single-page app that asks for consent first.</p>", ' data-consent="pending"'),
};

// only this spec's site: other specs' leads on the same server keep their scores
const pageFlow = () => ({
  id: "snippet-pages",
  name: "Snippet pages",
  reentry: "always",
  nodes: [
    { id: "t-any", type: "trigger.event", config: { eventType: "page_view", where: [{ field: "event.properties.url", op: "contains", value: siteOrigin }] }, position: { x: 0, y: 0 } },
    { id: "p-any", type: "score.add", config: { points: 1, category: "pages" }, position: { x: 300, y: 0 } },
    { id: "t-pricing", type: "trigger.event", config: { eventType: "page_view", where: [{ field: "event.properties.url", op: "contains", value: `${siteOrigin}/pricing` }] }, position: { x: 0, y: 150 } },
    { id: "p-pricing", type: "score.add", config: { points: 5, category: "pages" }, position: { x: 300, y: 150 } },
  ],
  edges: [{ from: "t-any", to: "p-any" }, { from: "t-pricing", to: "p-pricing" }],
});

test.beforeAll(async () => {
  site = createServer((req, res) => {
    const render = pages[(req.url ?? "/").split("?")[0]!];
    res.writeHead(render ? 200 : 404, { "content-type": "text/html; charset=utf-8" }).end(render ? render() : "not found");
  });
  await new Promise<void>((done) => site.listen(0, "127.0.0.1", done));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  apiKey = await leadflow("apikey", "create", "--name", "snippet e2e");
  siteKey = await leadflow("sitekey", "create", "--name", "Acme site", "--origin", siteOrigin);
  elsewhereKey = (await rest(apiKey, "POST", "/api/v1/site-keys", { name: "Elsewhere", origins: ["https://elsewhere.example"] })).key;
  await rest(apiKey, "PUT", "/api/v1/flows/snippet-pages", pageFlow());
  await rest(apiKey, "POST", "/api/v1/flows/snippet-pages/publish");
});
test.afterAll(() => new Promise<void>((done) => site.close(() => done())));

interface Lead {
  properties: Record<string, unknown>;
  lastActivityAt: string | null;
  ledger: { delta: number; flowId: string | null; at: string; processedAt: string }[];
}
async function findLead(email: string): Promise<Lead | undefined> {
  const res = await fetch(`${LEADFLOW}/api/v1/leads/${encodeURIComponent(email)}`, { headers: { authorization: `Bearer ${apiKey}` } });
  return res.status === 200 ? ((await res.json()) as Lead) : undefined;
}
const flowEntries = (lead: Lead | undefined) => (lead?.ledger ?? []).filter((e) => e.flowId === "snippet-pages");

async function submitContact(page: Page, email: string) {
  await page.goto(`${siteOrigin}/contact`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Company").fill("Acme");
  await page.getByLabel("Password").fill("hunter2");
  await page.getByRole("button", { name: "Send" }).click();
  await page.waitForURL(/\/thanks/);
}

test("anonymous browsing is credited to the lead the form identifies, each page view at its own time", async ({ page }) => {
  servedKey = siteKey;
  // the same observer the Do-Not-Track test relies on to see that nothing is sent
  const sent: string[] = [];
  page.on("request", (r) => {
    if (r.url().startsWith(`${LEADFLOW}/t/e`)) sent.push(r.url());
  });
  await page.goto(`${siteOrigin}/`);
  await page.getByRole("link", { name: "Product" }).click();
  await page.waitForURL(/\/product/);
  await page.getByRole("link", { name: "Pricing" }).click();
  await page.waitForURL(/\/pricing/);
  await submitContact(page, "visitor@acme.test");

  expect(sent.length).toBeGreaterThan(0);
  const cookies = await page.context().cookies(siteOrigin);
  expect(cookies.find((c) => c.name === "lf_aid")?.sameSite).toBe("Lax");

  // home, product, pricing, contact before the form; thanks after it: +1 each, and +5 for pricing
  await expect.poll(async () => flowEntries(await findLead("visitor@acme.test")).map((e) => e.delta).sort(), { timeout: 30_000 }).toEqual([1, 1, 1, 1, 1, 5]);
  const lead = (await findLead("visitor@acme.test"))!;
  expect(lead.properties).toMatchObject({ company: "Acme" });
  expect(JSON.stringify(lead.properties)).not.toMatch(/hunter2|secret-token/);
  // the views before the form were scored when it identified the visitor, at the times they happened
  const earlier = flowEntries(lead).filter((e) => new Date(e.at) < new Date(e.processedAt));
  expect(earlier.length).toBeGreaterThanOrEqual(3);

  // identifying again changes nothing: no history is credited twice
  // identify is not engagement; a custom event in the same batch, applied after it, tells when the batch is in
  const before = await page.evaluate(() => {
    const t = new Date().toISOString();
    const lf = (window as unknown as { leadflow: { identify(e: string): void; track(t: string): void; flush(): void } }).leadflow;
    lf.identify("visitor@acme.test");
    lf.track("identified_again");
    lf.flush();
    return t;
  });
  const after = Date.parse(before);
  await expect.poll(async () => Date.parse((await findLead("visitor@acme.test"))?.lastActivityAt ?? "1970-01-01T00:00:00Z"), { timeout: 30_000 }).toBeGreaterThanOrEqual(after);
  expect(flowEntries(await findLead("visitor@acme.test")).map((e) => e.delta).sort()).toEqual([1, 1, 1, 1, 1, 5]);
});

test("with Do-Not-Track nothing is sent and no cookie is set", async ({ browser }) => {
  servedKey = siteKey;
  const context = await browser.newContext();
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, "doNotTrack", { get: () => "1" }));
  const page = await context.newPage();
  const sent: string[] = [];
  page.on("request", (r) => {
    if (r.url().startsWith(`${LEADFLOW}/t/e`)) sent.push(r.url());
  });
  await page.goto(`${siteOrigin}/pricing`);
  await page.waitForFunction(() => "leadflow" in window && typeof (window as unknown as { leadflow: { flush?: unknown } }).leadflow.flush === "function");
  await submitContact(page, "private@acme.test");
  await page.waitForFunction(() => typeof (window as unknown as { leadflow: { flush?: unknown } }).leadflow?.flush === "function");
  await page.evaluate(() => (window as unknown as { leadflow: { flush(): void } }).leadflow.flush());
  expect(sent).toEqual([]);
  expect((await context.cookies(siteOrigin)).map((c) => c.name)).not.toContain("lf_aid");
  expect(await findLead("private@acme.test")).toBeUndefined();
  await context.close();
});

test("a site key limited to another website is refused from this one, and nothing is stored", async ({ page }) => {
  servedKey = elsewhereKey;
  const sent: string[] = [];
  page.on("request", (r) => {
    if (r.url() === `${LEADFLOW}/t/e`) sent.push(r.url());
  });
  await submitContact(page, "refused@acme.test");
  // the snippet sent its beacon (a generous bound: it leaves as the page unloads) …
  await expect.poll(() => sent.length, { timeout: 30_000 }).toBeGreaterThan(0);
  // … whose answer a page cannot see; the same request from this origin shows how it is answered:
  const body = JSON.stringify({ siteKey: elsewhereKey, events: [{ type: "form_submit", email: "refused@acme.test", anonymousId: "refused-visitor" }] });
  const inPage = await page.evaluate(
    ([url, text]) => fetch(url!, { method: "POST", body: text, headers: { "content-type": "text/plain" } }).then((r) => `status ${r.status}`, () => "refused by CORS"),
    [`${LEADFLOW}/t/e`, body],
  );
  expect(inPage).toBe("refused by CORS");
  const direct = await fetch(`${LEADFLOW}/t/e`, { method: "POST", headers: { "content-type": "text/plain", origin: siteOrigin }, body });
  expect(direct.status).toBe(403);
  expect(direct.headers.get("access-control-allow-origin")).toBeNull();
  expect(await findLead("refused@acme.test")).toBeUndefined();
});

test("consent pending sends nothing; once given, page views and in-page navigation are tracked", async ({ page }) => {
  servedKey = siteKey;
  const sent: string[] = [];
  page.on("request", (r) => {
    if (r.url().startsWith(`${LEADFLOW}/t/e`)) sent.push(r.url());
  });
  type Api = { consent(yes: boolean): void; identify(e: string): void; track(t: string): void; flush(): void };
  await page.goto(`${siteOrigin}/app`);
  await page.waitForFunction(() => typeof (window as unknown as { leadflow: { flush?: unknown } }).leadflow?.flush === "function");
  await page.evaluate(() => (window as unknown as { leadflow: Api }).leadflow.flush());
  expect(sent).toEqual([]);
  expect((await page.context().cookies(siteOrigin)).map((c) => c.name)).not.toContain("lf_aid");

  await page.evaluate(() => {
    const lf = (window as unknown as { leadflow: Api }).leadflow;
    lf.consent(true);
    history.pushState({}, "", "/app/step-2");
  });
  await expect.poll(() => page.evaluate(() => (window as unknown as { leadflow: Api }).leadflow && location.pathname)).toBe("/app/step-2");
  await page.evaluate(() => {
    const lf = (window as unknown as { leadflow: Api }).leadflow;
    lf.identify("app-user@acme.test");
    lf.flush();
  });
  // /app and /app/step-2: +1 each
  await expect.poll(async () => flowEntries(await findLead("app-user@acme.test")).map((e) => e.delta), { timeout: 30_000 }).toEqual([1, 1]);
  expect((await page.context().cookies(siteOrigin)).map((c) => c.name)).toContain("lf_aid");
});

test("events that could not be sent are kept and sent from the next page", async ({ page }) => {
  servedKey = siteKey;
  let failed = 0;
  await page.route(`${LEADFLOW}/t/e`, (route) => {
    failed++;
    return route.abort("internetdisconnected");
  });
  await page.goto(`${siteOrigin}/pricing`);
  await expect.poll(() => failed, { timeout: 30_000 }).toBeGreaterThan(0);
  await expect.poll(() => page.evaluate(() => localStorage.getItem("lf_queue") ?? ""), { timeout: 30_000 }).toContain("/pricing");
  await page.unroute(`${LEADFLOW}/t/e`);
  await submitContact(page, "offline@acme.test");
  // pricing (+1, +5, sent late from the contact page), contact and thanks (+1 each)
  await expect.poll(async () => flowEntries(await findLead("offline@acme.test")).map((e) => e.delta).sort(), { timeout: 30_000 }).toEqual([1, 1, 1, 5]);
});

test("a marketer creates a site key in the app, sees the tag once, and revokes the key", async ({ page }) => {
  await ensureUser("web-site@example.com", "marketer pass", "marketer");
  await signIn(page, "web-site@example.com", "marketer pass");
  await page.getByRole("link", { name: "Website" }).click();
  await page.getByTestId("site-key-name").fill("Landing pages");
  await page.getByTestId("site-key-origins").fill("https://landing.example");
  await page.getByTestId("site-key-create").click();
  const tag = (await page.getByTestId("site-key-tag").textContent()) ?? "";
  const key = /data-site-key="(lf_pk_[\w-]+)"/.exec(tag)?.[1];
  expect(tag).toContain("/t/p.js");
  expect(key).toBeTruthy();
  const row = page.getByTestId("site-key-row").filter({ hasText: "Landing pages" });
  await expect(row).toContainText("https://landing.example");
  await expect(row).not.toContainText(key!);

  const intake = () => fetch(`${LEADFLOW}/t/e`, { method: "POST", headers: { "content-type": "text/plain", origin: "https://landing.example" }, body: JSON.stringify({ siteKey: key, events: [{ type: "page_view", anonymousId: "landing-visitor" }] }) });
  expect((await intake()).status).toBe(200);
  page.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
  expect((await intake()).status).toBe(401);
  await page.reload();
  await expect(page.getByTestId("site-key-tag")).toHaveCount(0);
});
