import { describe, expect, it } from "vitest";
import { loadEnv } from "./env.js";

describe("WEBHOOK_ALLOW in the environment", () => {
  it("reads hosts, host:port pairs and CIDR ranges", () => {
    expect(loadEnv({ WEBHOOK_ALLOW: " 127.0.0.1:8080, hooks.internal ,10.0.0.0/8,[::1]:9000" }).WEBHOOK_ALLOW).toEqual([
      "127.0.0.1:8080", "hooks.internal", "10.0.0.0/8", "[::1]:9000",
    ]);
    expect(loadEnv({}).WEBHOOK_ALLOW).toEqual([]);
  });

  it("an entry that is none of those stops the start with a message naming it", () => {
    expect(() => loadEnv({ WEBHOOK_ALLOW: "127.0.0.1:8080,http://10.0.0.1/hook" })).toThrow(
      /WEBHOOK_ALLOW: "http:\/\/10\.0\.0\.1\/hook" is not a host, host:port or CIDR range/,
    );
    expect(() => loadEnv({ WEBHOOK_ALLOW: "10.0.0.0/40" })).toThrow(/"10\.0\.0\.0\/40" is not a host/);
  });
});
