import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { anyUserExists, findUserIdByEmail, insertFirstUser, insertUser } from "./users.repository.js";

const user = (n: number, email: string) => ({ id: `00000000-0000-4000-8000-00000000000${n}`, emailLower: email, passwordHash: "x", role: "admin" });

describe.each(testDatabaseKinds)("users repository on %s", (kind) => {
  it("makes a first user only while there is none, and finds users by e-mail in any case", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      expect(await anyUserExists(db)).toBe(false);
      expect(await insertFirstUser(db, user(1, "ann@example.com"))).toBe(true);
      expect(await insertFirstUser(db, user(2, "bob@example.com"))).toBe(false);
      expect(await anyUserExists(db)).toBe(true);

      await insertUser(db, { ...user(3, "cy@example.com"), role: "sales" });
      expect(await findUserIdByEmail(db, "CY@Example.com")).toBe(user(3, "").id);
      expect(await findUserIdByEmail(db, "bob@example.com")).toBeUndefined();
    } finally {
      await close();
    }
  });
});
