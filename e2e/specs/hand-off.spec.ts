import { resolve } from "node:path";
import { expect, test } from "@playwright/test";
import { connect, dropNode, ensureUser, leadflow, node, rest, signIn } from "./support.js";

let key = "";
test.beforeAll(async () => {
  await ensureUser("mia@example.com", "marketer pass", "marketer");
  await ensureUser("rita@sales.test", "sales pass", "sales");
  key = await leadflow("apikey", "create", "--name", "e2e");
  await rest(key, "PUT", "/api/v1/scoring-model", {
    fitRules: [{ field: "country", op: "notIn", value: ["HU", "AT", "DE"], points: -20 }],
  });
  await rest(key, "PUT", "/api/v1/templates/warm-intro", {
    subject: "{{ lead.firstName | default: \"Hello\" }}, let's talk",
    html: "<p>Hi {{ lead.firstName }}, you looked at our pricing.</p>",
  });
  await rest(key, "PUT", "/api/v1/reps", {
    reps: [
      { id: "rep1", name: "Rita One", email: "rita@sales.test" },
      { id: "rep2", name: "Sam Two", email: "sam@sales.test" },
    ],
  });
  await rest(key, "PUT", "/api/v1/leads", { email: "anna@example.hu", properties: { firstName: "Anna", country: "HU" } });
});

test("a marketer builds the hand-off flow from the palette, publishes it, and watches Anna become Warm", async ({ page }) => {
  await signIn(page, "mia@example.com", "marketer pass");
  await page.getByRole("link", { name: "Flows" }).click();
  await page.getByTestId("new-flow-id").fill("hand-off");
  await page.getByTestId("new-flow-name").fill("Hand-off");
  await page.getByTestId("new-flow-create").click();
  await expect(page.getByTestId("canvas")).toBeVisible();

  // the first trigger, unconfigured: its issue shows on the node and in the list
  await dropNode(page, "trigger.event", 120, 120);
  const t1 = node(page, "trigger-event-1");
  await expect(t1.getByTestId("node-issue-badge")).toBeVisible();
  await expect(page.getByTestId("issues")).toContainText("eventType");
  await expect(page.getByTestId("publish")).toBeDisabled();
  // fix it in the side panel
  await page.getByTestId("config-eventType").fill("page_view");
  await page.getByTestId("where-add").click();
  await page.getByTestId("where-0-field").fill("event.properties.url");
  await page.getByTestId("where-0-op").selectOption("contains");
  await page.getByTestId("where-0-value").fill("/pricing");
  await expect(t1.getByTestId("node-issue-badge")).toHaveCount(0);

  await dropNode(page, "trigger.event", 120, 330);
  await page.getByTestId("config-eventType").fill("demo_request");
  await dropNode(page, "score.add", 420, 120);
  await page.getByTestId("config-points").fill("10");
  await page.getByTestId("config-category").fill("pricing");
  await dropNode(page, "score.add", 420, 330);
  await page.getByTestId("config-points").fill("30");
  await dropNode(page, "score.threshold", 720, 220);
  await page.getByTestId("config-atLeast").fill("50");
  await dropNode(page, "email.send", 1000, 120);
  await page.getByTestId("config-templateId").selectOption("warm-intro");
  await dropNode(page, "sales.assign", 1000, 330);
  await page.getByTestId("config-strategy").selectOption("round_robin");

  await connect(page, "trigger-event-1", "score-add-1");
  await connect(page, "trigger-event-2", "score-add-2");
  await connect(page, "score-add-1", "score-threshold-1");
  await connect(page, "score-add-2", "score-threshold-1");
  await connect(page, "score-threshold-1", "email-send-1");
  await connect(page, "score-threshold-1", "sales-assign-1");
  await expect(page.locator(".react-flow__edge")).toHaveCount(6);

  await expect(page.getByTestId("issues")).toContainText("No issues");
  await expect(page.getByTestId("publish")).toBeEnabled();
  await page.getByTestId("publish").click();
  await expect(page.getByTestId("editor-notice")).toContainText("Published version 1");

  // the scenario's events, through the REST API
  const r = await rest(key, "POST", "/api/v1/events?wait=true", {
    events: [
      { email: "anna@example.hu", type: "demo_request" },
      { email: "anna@example.hu", type: "page_view", properties: { url: "https://example.com/pricing" } },
      { email: "anna@example.hu", type: "page_view", properties: { url: "https://example.com/pricing?plan=pro" } },
    ],
  });
  expect(r).toEqual({ accepted: 3, duplicates: 0, errors: [] });

  await page.getByRole("link", { name: "Leads", exact: true }).click();
  await page.getByRole("row").filter({ hasText: "anna@example.hu" }).getByRole("link", { name: "Anna" }).click();
  await expect(page.getByTestId("lead-total")).toHaveText("50");
  await expect(page.getByTestId("lead-tier")).toHaveText("Warm");
  await expect(page.getByTestId("ledger-row")).toHaveCount(3);
  await expect(page.getByTestId("lead-owner")).toHaveText("Rita One");

  // the scheduler delivers to the local mailbox (it ticks every 2 s here; one more pass through the CLI)
  await leadflow("tick");
  await page.getByRole("link", { name: "Mailbox" }).click();
  await expect(page.getByTestId("mail-row").filter({ hasText: "anna@example.hu" })).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId("mail-row").filter({ hasText: "Anna, let's talk" })).toHaveCount(1);

  // back in the editor, each node shows how many leads reached it; the README's screenshot
  await page.goto("/flows/hand-off");
  await expect(node(page, "email-send-1")).toContainText("1 lead · 30 d");
  await page.getByRole("button", { name: "Auto-layout" }).click();
  await page.waitForTimeout(600); // the fit-view animation
  await node(page, "score-threshold-1").click();
  await page.screenshot({ path: resolve(import.meta.dirname, "../../docs/screenshot-editor.png") });
});

test("a sales user cannot open the flow editor", async ({ page }) => {
  await signIn(page, "rita@sales.test", "sales pass");
  await expect(page.getByRole("link", { name: "Flows" })).toHaveCount(0);
  await page.goto("/flows/hand-off");
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByTestId("canvas")).toHaveCount(0);
});
