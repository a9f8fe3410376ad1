import { expect } from "vitest";

/**
 * Fetches `url` while a health check goes out at the same moment. Both must answer: a request
 * that blocked the event loop would keep /healthz waiting past the (generous) bound.
 */
export async function watchedFetch(base: string, path: string, init: RequestInit): Promise<{ status: number; text: string }> {
  const request = fetch(base + path, { redirect: "manual", ...init });
  const health = fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) });
  const [res, h] = await Promise.all([request, health]);
  expect(h.status, "/healthz answered while the request ran").toBe(200);
  await h.arrayBuffer();
  return { status: res.status, text: await res.text() };
}
