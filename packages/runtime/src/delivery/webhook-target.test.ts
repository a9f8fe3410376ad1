import { describe, expect, it } from "vitest";
import { addressAllowed, addressRange, isPublicAddress, parseAllowEntry, parseAllowList, targetAllowed } from "./webhook-target.js";

describe("webhook address classification", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["::1", "loopback"],
    ["169.254.169.254", "linkLocal"],
    ["169.254.0.1", "linkLocal"],
    ["fe80::1", "linkLocal"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "linkLocal"],
    ["::ffff:10.1.2.3", "private"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.254", "private"],
    ["192.168.1.1", "private"],
    ["fd00::1", "uniqueLocal"],
    ["fc00::1", "uniqueLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["100.127.255.254", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.10", "reserved"],
    ["64:ff9b::7f00:1", "rfc6052"],
    ["2002:7f00:1::", "6to4"],
    ["::127.0.0.1", "loopback"],
    ["fec0::1", "deprecatedSiteLocal"], ["::7f00:2", "reserved"], ["100::1", "discard"], ["4000::1", "reserved"],
    ["not an address", "invalid"],
    ["", "invalid"],
  ])("%s is %s, so it is refused", (ip, range) => {
    expect(addressRange(ip)).toBe(range);
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("%s is public", (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });
});

describe("WEBHOOK_ALLOW", () => {
  const allow = parseAllowList(["127.0.0.1:8080", "10.0.0.0/8", "hooks.internal", "[::1]:9000", "fd00::/8", "::ffff:192.168.7.0/120"]);
  const at = (hostname: string, port: number) => ({ hostname, port });

  it("reads hosts, host:port pairs and CIDR ranges, and refuses anything else", () => {
    expect(parseAllowEntry("127.0.0.1:8080")).toEqual({ kind: "host", host: "127.0.0.1", port: 8080 });
    expect(parseAllowEntry("Hooks.Internal.")).toEqual({ kind: "host", host: "hooks.internal" });
    expect(parseAllowEntry("[::1]:9000")).toEqual({ kind: "host", host: "::1", port: 9000 });
    expect(parseAllowEntry("::1")).toEqual({ kind: "host", host: "::1" });
    expect(parseAllowEntry("10.0.0.0/8")).toMatchObject({ kind: "range" });
    for (const bad of ["", "http://127.0.0.1", "host:0", "host:70000", "10.0.0.0/33", "a b", "user@host", "[::1"]) {
      expect(parseAllowEntry(bad), bad).toBeUndefined();
    }
  });

  it("a host:port entry lets that port through and no other", () => {
    expect(addressAllowed(allow, at("127.0.0.1", 8080), "127.0.0.1")).toBe(true);
    expect(addressAllowed(allow, at("127.0.0.1", 8081), "127.0.0.1")).toBe(false);
    // a name that resolves to the allowed address on the allowed port is the same target
    expect(addressAllowed(allow, at("localhost", 8080), "127.0.0.1")).toBe(true);
    expect(addressAllowed(allow, at("127.0.0.2", 8080), "127.0.0.2")).toBe(false);
    expect(addressAllowed(allow, at("::1", 9000), "::1")).toBe(true);
    expect(addressAllowed(allow, at("::1", 8080), "::1")).toBe(false);
  });

  it("a host entry lets every port of that name through, whatever it resolves to", () => {
    expect(addressAllowed(allow, at("hooks.internal", 443), "192.168.3.4")).toBe(true);
    expect(addressAllowed(allow, at("HOOKS.INTERNAL.", 8443), "192.168.3.4")).toBe(true);
    expect(addressAllowed(allow, at("other.internal", 443), "192.168.3.4")).toBe(false);
  });

  it("a CIDR range lets the addresses inside it through, mapped or not", () => {
    expect(addressAllowed(allow, at("10.1.2.3", 80), "10.1.2.3")).toBe(true);
    expect(addressAllowed(allow, at("db.corp", 5432), "10.200.0.1")).toBe(true);
    expect(addressAllowed(allow, at("x", 80), "::ffff:10.0.0.9")).toBe(true);
    expect(addressAllowed(allow, at("x", 80), "11.0.0.1")).toBe(true); // public anyway
    expect(addressAllowed(allow, at("x", 80), "172.16.0.1")).toBe(false);
    expect(addressAllowed(allow, at("x", 80), "fd12::1")).toBe(true);
    expect(addressAllowed(allow, at("x", 80), "fe80::1")).toBe(false);
    expect(addressAllowed(allow, at("x", 80), "192.168.7.20")).toBe(true);
    expect(addressAllowed(allow, at("x", 80), "192.168.8.20")).toBe(false);
  });

  it("a target passes only when every address it resolves to is allowed", () => {
    const none = parseAllowList([]);
    expect(targetAllowed(none, { hostname: "example.com", port: 443, addresses: ["93.184.215.14"] })).toBe(true);
    // one public and one private answer (a rebinding attempt): refused
    expect(targetAllowed(none, { hostname: "evil.test", port: 443, addresses: ["93.184.215.14", "127.0.0.1"] })).toBe(false);
    expect(targetAllowed(none, { hostname: "evil.test", port: 443, addresses: [] })).toBe(false);
    expect(targetAllowed(none, { hostname: "169.254.169.254", port: 80, addresses: ["169.254.169.254"] })).toBe(false);
    expect(targetAllowed(allow, { hostname: "localhost", port: 8080, addresses: ["127.0.0.1", "::1"] })).toBe(false);
    expect(targetAllowed(allow, { hostname: "127.0.0.1", port: 8080, addresses: ["127.0.0.1"] })).toBe(true);
  });
});
