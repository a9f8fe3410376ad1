import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../testing.js";
import { insertMailboxMessage, listMailboxMessages } from "./mailbox.repository.js";

const JOB = "00000000-0000-4000-8000-00000000000a";
const message = (subject: string) => ({ messageId: `<${subject}@x>`, to: "ann@example.com", from: "hello@x", subject, html: "<p>x</p>", text: "x" });

describe.each(testDatabaseKinds)("mailbox repository on %s", (kind) => {
  it("keeps at most one message per job (a delivery run again stores nothing new), any number without one, newest first", async () => {
    const { db, close } = await createTestDatabase(kind);
    try {
      const now = new Date("2026-11-02T09:00:00Z");
      await insertMailboxMessage(db, JOB, message("first"), now);
      await db.transaction().execute((trx) => insertMailboxMessage(trx, JOB, message("again"), now));
      await insertMailboxMessage(db, null, message("test 1"), now);
      await insertMailboxMessage(db, null, message("test 2"), now);
      const rows = await listMailboxMessages(db, 10);
      expect(rows.map((r) => [r.subject, r.job_id])).toEqual([["test 2", null], ["test 1", null], ["first", JOB]]);
      expect((await listMailboxMessages(db, 1)).map((r) => r.subject)).toEqual(["test 2"]);
    } finally {
      await close();
    }
  });
});
