import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { findActiveApiKeyByHash, insertApiKey } from "./api-keys.repository.js";

const ID = "00000000-0000-4000-8000-00000000000a";

describe.each(testDatabaseKinds)("API keys repository on %s", (kind) => {
  it("finds a key by its hash until it is revoked", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await insertApiKey(db, { id: ID, name: "ci", prefix: "lf_sk_abcd", keyHash: "h1" });
      expect(await findActiveApiKeyByHash(db, "h1")).toEqual({ id: ID, name: "ci" });
      expect(await findActiveApiKeyByHash(db, "h2")).toBeUndefined();
      await db.updateTable("api_keys").set({ revoked_at: new Date() }).where("id", "=", ID).execute();
      expect(await findActiveApiKeyByHash(db, "h1")).toBeUndefined();
    } finally {
      await close();
    }
  });
});
