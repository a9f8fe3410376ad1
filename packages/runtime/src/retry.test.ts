import { describe, expect, it } from "vitest";
import { withRetry } from "./retry.js";

const failing = (errors: unknown[]) => {
  let calls = 0;
  const run = async () => {
    const e = errors[calls++];
    if (e !== undefined) throw e;
    return calls;
  };
  return { run, calls: () => calls };
};

describe("withRetry", () => {
  it("runs again after a deadlock, a serialization failure or an error marked retryable", async () => {
    const f = failing([{ code: "40P01" }, { code: "40001" }, { retryable: true }]);
    expect(await withRetry(f.run)).toBe(4);
  });

  it("throws any other error at once", async () => {
    const f = failing([{ code: "23505" }]);
    await expect(withRetry(f.run)).rejects.toEqual({ code: "23505" });
    expect(f.calls()).toBe(1);
  });

  it("gives up after `tries` attempts with the last error", async () => {
    const f = failing([{ code: "40001", n: 1 }, { code: "40001", n: 2 }, { code: "40001", n: 3 }]);
    await expect(withRetry(f.run, 2)).rejects.toEqual({ code: "40001", n: 2 });
    expect(f.calls()).toBe(2);
  });
});
