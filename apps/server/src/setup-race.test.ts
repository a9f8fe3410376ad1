import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, testDatabaseKinds, type TestServer } from "./testing/harness.js";

describe.each(testDatabaseKinds)("one-time setup on %s", (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
  });
  afterAll(() => s?.close());

  it("makes exactly one first admin when several setups race", async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => s.trpc("auth.setup", { email: `admin${i}@example.com`, password: "a long password" })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 403, 403, 403, 403, 403]);
    const users = await s.ctx.deps.db.selectFrom("users").select(["email", "role"]).execute();
    expect(users).toHaveLength(1);
    expect(users[0]!.role).toBe("admin");
  });
});
