import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { deleteSession, deleteUserSessions, findLiveSession, insertSession, touchSession } from "./sessions.repository.js";
import { insertUser } from "./users.repository.js";

const ANN = "00000000-0000-4000-8000-00000000000a";
const BOB = "00000000-0000-4000-8000-00000000000b";
const t = (minutes: number) => new Date(Date.UTC(2026, 10, 2, 9, minutes));

describe.each(testDatabaseKinds)("sessions repository on %s", (kind) => {
  it("finds a session with its user until it expires or idles, touches it at most once per window, and ends it or all the user's", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      await insertUser(db, { id: ANN, emailLower: "ann@example.com", passwordHash: "x", role: "marketer" });
      await insertUser(db, { id: BOB, emailLower: "bob@example.com", passwordHash: "x", role: "sales" });
      await insertSession(db, { id: "s1", userId: ANN, now: t(0), expiresAt: t(50) });
      await insertSession(db, { id: "s2", userId: ANN, now: t(0), expiresAt: t(50) });
      await insertSession(db, { id: "s3", userId: BOB, now: t(0), expiresAt: t(50) });

      expect(await findLiveSession(db, "s1", t(10), t(-1))).toEqual({ userId: ANN, email: "ann@example.com", role: "marketer", lastSeenAt: t(0) });
      expect(await findLiveSession(db, "s1", t(10), t(0))).toBeUndefined(); // idle since before t(0)
      expect(await findLiveSession(db, "s1", t(50), t(-1))).toBeUndefined(); // expired
      expect(await findLiveSession(db, "nope", t(10), t(-1))).toBeUndefined();

      await touchSession(db, "s1", t(10), t(9));
      await touchSession(db, "s1", t(11), t(9)); // touched after t(9) already: left alone
      expect((await findLiveSession(db, "s1", t(12), t(-1)))?.lastSeenAt).toEqual(t(10));

      await deleteSession(db, "s1");
      expect(await findLiveSession(db, "s1", t(12), t(-1))).toBeUndefined();
      expect(await deleteUserSessions(db, ANN)).toBe(1);
      expect(await findLiveSession(db, "s3", t(12), t(-1))).toMatchObject({ userId: BOB });
    } finally {
      await close();
    }
  });
});
