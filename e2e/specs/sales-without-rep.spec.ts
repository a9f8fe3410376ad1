import { expect, test } from "@playwright/test";
import { ensureUser, signIn } from "./support.js";

test.beforeAll(async () => {
  await ensureUser("unlinked@sales.test", "sales password", "sales");
});

/** Issue 8, finding 6: a sales user whose e-mail matches no rep got a 500 and a dashboard that spun forever. */
test("a sales user without a rep is told so on the dashboard and the lead list", async ({ page }) => {
  await signIn(page, "unlinked@sales.test", "sales password");
  const message = "Your account is not linked to a sales rep yet. Ask an admin to add a rep with your e-mail.";
  await expect(page.getByTestId("not-linked-to-rep")).toHaveText(message);
  await expect(page.getByRole("status")).toHaveCount(0); // nothing left loading
  await page.getByRole("link", { name: "Leads", exact: true }).click();
  await expect(page.getByText(message)).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
});
