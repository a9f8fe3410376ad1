import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { findSettings, writeSetting } from "./settings.repository.js";

describe.each(testDatabaseKinds)("settings repository on %s", (kind) => {
  it("reads several keys in one call (unset ones absent, JSON null kept) and writes always, if absent, or if unchanged", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      expect(await findSettings(db, [])).toEqual(new Map());
      expect(await writeSetting(db, "a", { n: 1 })).toBe(true);
      expect(await writeSetting(db, "a", { n: 2 })).toBe(true); // the last write wins
      expect(await writeSetting(db, "off", null)).toBe(true);
      expect(await findSettings(db, ["a", "off", "never", "a"])).toEqual(new Map<string, unknown>([["a", { n: 2 }], ["off", null]]));

      // the first writer wins
      expect(await writeSetting(db, "secret", "s1", { when: "absent" })).toBe(true);
      expect(await writeSetting(db, "secret", "s2", { when: "absent" })).toBe(false);
      expect((await findSettings(db, ["secret"])).get("secret")).toBe("s1");

      // compare-and-set: only while the key still holds the value read
      expect(await writeSetting(db, "cursor", 3, { when: "current", value: 0 })).toBe(false); // never set
      await writeSetting(db, "cursor", 0);
      expect(await writeSetting(db, "cursor", 1, { when: "current", value: 0 })).toBe(true);
      expect(await writeSetting(db, "cursor", 2, { when: "current", value: 0 })).toBe(false);
      expect((await findSettings(db, ["cursor"])).get("cursor")).toBe(1);
    } finally {
      await close();
    }
  });
});
