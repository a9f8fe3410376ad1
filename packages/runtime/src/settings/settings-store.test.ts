import { describe, expect, it } from "vitest";
import { writeSetting } from "@leadflow/db";
import { createTestDatabase, testDatabaseKinds } from "@leadflow/db/testing";
import { defaultScoringModel } from "@leadflow/engine";
import { readSetting, readSettings, saveSetting, Settings } from "./settings-store.js";

describe.each(testDatabaseKinds)("the settings store on %s", (kind) => {
  it("reads each key's fallback until saved, several keys at once, and falls back on a stored value its schema refuses", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      expect(await readSettings(db, [Settings.scoringModel, Settings.workspace, Settings.rrCursor, Settings.frequencyCap])).toEqual([
        defaultScoringModel, { timeZone: "UTC" }, undefined, undefined,
      ]);
      expect(await saveSetting(db, Settings.workspace, { timeZone: "Europe/Copenhagen" })).toEqual({ timeZone: "Europe/Copenhagen" });
      expect(await saveSetting(db, Settings.frequencyCap, null)).toBeNull(); // a cap turned off is a value, not "unset"
      expect(await readSettings(db, [Settings.workspace, Settings.frequencyCap])).toEqual([{ timeZone: "Europe/Copenhagen" }, null]);

      await writeSetting(db, Settings.workspace.key, { timeZone: "Mars/Olympus" });
      expect(await readSetting(db, Settings.workspace)).toEqual({ timeZone: "UTC" });

      // a model saved under an older, looser rule keeps scoring as saved: not swapped for the default
      const older = { ...defaultScoringModel, fitRules: [{ field: "title", op: "matches", value: "(?=cto)", points: 5 }] };
      await writeSetting(db, Settings.scoringModel.key, older);
      expect(await readSetting(db, Settings.scoringModel)).toEqual(older);
    } finally {
      await close();
    }
  });

  it("refuses input its schema refuses, naming the setting, and writes only when a condition holds", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await expect(saveSetting(db, Settings.frequencyCap, { max: 0, days: 7 })).rejects.toThrow(/^invalid frequency cap: max: max must be at least 1/);
      expect(await readSetting(db, Settings.frequencyCap)).toBeUndefined();

      expect(await saveSetting(db, Settings.rrCursor, 1, { when: "absent" })).toBe(1);
      expect(await saveSetting(db, Settings.rrCursor, 2, { when: "absent" })).toBeUndefined();
      expect(await saveSetting(db, Settings.rrCursor, 2, { when: "current", value: 0 })).toBeUndefined();
      expect(await saveSetting(db, Settings.rrCursor, 2, { when: "current", value: 1 })).toBe(2);
      expect(await readSetting(db, Settings.rrCursor)).toBe(2);
    } finally {
      await close();
    }
  });
});
