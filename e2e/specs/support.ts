import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { expect, type Locator, type Page } from "@playwright/test";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");

/** `pnpm leadflow …` against the running server's data directory (it goes through the server). */
export async function leadflow(...args: string[]): Promise<string> {
  const { stdout } = await run(resolve(root, "node_modules/.bin/tsx"), [resolve(root, "apps/server/src/cli.ts"), ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: process.env.LEADFLOW_E2E_DATA, DATABASE_URL: "" },
    timeout: 60_000,
  });
  return stdout.trim().split("\n").pop()!;
}

export async function rest(key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${process.env.LEADFLOW_E2E_URL}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBeLessThan(300);
  return json;
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(`${email} ·`)).toBeVisible();
}

export const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Drags a palette entry onto the canvas at (x, y) relative to the canvas. */
export async function dropNode(page: Page, type: string, x: number, y: number) {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId("canvas"), { targetPosition: { x, y } });
}

/** Connects a node's output port to another node's input by dragging between the handles. */
export async function connect(page: Page, from: string, to: string, port = "out") {
  const source: Locator = node(page, from).locator(`.react-flow__handle.source[data-handleid="${port}"]`);
  const target: Locator = node(page, to).locator(".react-flow__handle.target");
  const a = (await source.boundingBox())!;
  const b = (await target.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Creates a user unless it exists (a retried worker runs beforeAll again on the same server). */
export async function ensureUser(email: string, password: string, role: string) {
  try {
    await leadflow("user", "create", "--email", email, "--password", password, "--role", role);
  } catch (e) {
    if (!String((e as Error).message).includes("already exists")) throw e;
  }
}
