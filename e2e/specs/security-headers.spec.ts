import { expect, test } from "@playwright/test";
import { dropNode, ensureUser, signIn } from "./support.js";

test.beforeAll(async () => {
  await ensureUser("csp@example.com", "marketer pass", "marketer");
});

/** Issue 8, finding 3: the app works under its Content-Security-Policy and refuses to be framed. */
test("the flow editor runs under the CSP without a single violation", async ({ page }) => {
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __csp: string[] }).__csp ??= [];
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });

  const res = await page.goto("/");
  const csp = res?.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(res?.headers()["x-frame-options"]).toBe("DENY");

  await signIn(page, "csp@example.com", "marketer pass");
  await page.getByRole("link", { name: "Flows" }).click();
  await page.getByTestId("new-flow-id").fill("csp-check");
  await page.getByTestId("new-flow-name").fill("CSP check");
  await page.getByTestId("new-flow-create").click();
  await expect(page.getByTestId("canvas")).toBeVisible();
  // React Flow places nodes with inline style attributes: the policy must allow them
  await dropNode(page, "trigger.event", 120, 120);
  await expect(page.locator('.react-flow__node[data-id="trigger-event-1"]')).toBeVisible();
  await page.getByTestId("config-eventType").fill("page_view");

  const reported = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
  expect([...reported, ...violations]).toEqual([]);
});

test("a foreign page cannot show the app in a frame", async ({ page, baseURL }) => {
  await page.setContent(`<iframe src="${baseURL}/" width="800" height="600"></iframe>`);
  const frame = () => page.frames().find((f) => f !== page.mainFrame());
  // Chromium replaces a frame refused by frame-ancestors / X-Frame-Options with its error page
  await expect.poll(() => frame()?.url() ?? "").toMatch(/^chrome-error:/);
  expect(await frame()!.locator("#root").count()).toBe(0);
});
