import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS, type AppErrorCode } from "@leadflow/runtime";

describe("the one error table (runtime ERROR_STATUS)", () => {
  it("gives each code a tRPC code that tRPC answers with the same HTTP status as REST", () => {
    for (const [code, { http, trpc }] of Object.entries(ERROR_STATUS) as [AppErrorCode, (typeof ERROR_STATUS)[AppErrorCode]][]) {
      expect(getHTTPStatusCodeFromError(new TRPCError({ code: trpc })), code).toBe(http);
    }
  });
});
