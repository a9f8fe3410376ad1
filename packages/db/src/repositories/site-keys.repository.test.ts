import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { findActiveSiteKeyByHash, insertSiteKey, listSiteKeys, revokeSiteKey } from "./site-keys.repository.js";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";

describe.each(testDatabaseKinds)("site keys repository on %s", (kind) => {
  it("finds an active key by its hash with its origins, lists every key, and revokes once", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await insertSiteKey(db, { id: A, name: "shop", prefix: "lf_pk_aaaaaa", keyHash: "ha", origins: ["https://shop.example"] });
      await insertSiteKey(db, { id: B, name: "blog", prefix: "lf_pk_bbbbbb", keyHash: "hb", origins: [] });
      expect(await findActiveSiteKeyByHash(db, "ha")).toEqual({ id: A, name: "shop", origins: ["https://shop.example"] });

      expect(await revokeSiteKey(db, A)).toBe(true);
      const revokedAt = (await listSiteKeys(db)).find((k) => k.id === A)!.revoked_at;
      expect(await revokeSiteKey(db, A)).toBe(true); // twice is not an error, and keeps the first instant
      expect((await listSiteKeys(db)).find((k) => k.id === A)!.revoked_at).toEqual(revokedAt);
      expect(await findActiveSiteKeyByHash(db, "ha")).toBeUndefined();
      expect(await revokeSiteKey(db, "00000000-0000-4000-8000-00000000000c")).toBe(false);
      expect(await revokeSiteKey(db, "not-a-uuid")).toBe(false);

      const list = await listSiteKeys(db);
      expect(list.map((k) => [k.id, k.name, k.origins, k.revoked_at === null])).toEqual(
        expect.arrayContaining([[A, "shop", ["https://shop.example"], false], [B, "blog", [], true]]),
      );
      expect(list).toHaveLength(2);
    } finally {
      await close();
    }
  });
});
