import { afterEach, describe, expect, it, vi } from "vitest";

describe("testDatabaseKinds", () => {
  const saved = process.env.TEST_DATABASE_KINDS;
  afterEach(() => {
    if (saved === undefined) delete process.env.TEST_DATABASE_KINDS;
    else process.env.TEST_DATABASE_KINDS = saved;
  });
  const kindsWith = async (value: string | undefined) => {
    if (value === undefined) delete process.env.TEST_DATABASE_KINDS;
    else process.env.TEST_DATABASE_KINDS = value;
    vi.resetModules();
    return import("./testing.js");
  };

  it("is both kinds unless TEST_DATABASE_KINDS names a subset", async () => {
    expect((await kindsWith(undefined)).testDatabaseKinds).toEqual(["pglite", "postgres"]);
    expect((await kindsWith("pglite")).testDatabaseKinds).toEqual(["pglite"]);
    expect((await kindsWith(" postgres ")).testDatabaseKinds).toEqual(["postgres"]);
    await expect(kindsWith("pglite,sqlite")).rejects.toThrow(/unknown sqlite/);
  });

  it("refuses PostgreSQL in a PGlite-only run with what to do, not a refused connection", async () => {
    const { createTestDatabase, testDatabaseKinds } = await kindsWith("pglite");
    const off = (["pglite", "postgres"] as const).find((k) => !testDatabaseKinds.includes(k))!;
    await expect(createTestDatabase(off)).rejects.toThrow(/PostgreSQL is off for this run .*unset TEST_DATABASE_KINDS/);
  });
});
