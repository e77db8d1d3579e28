// The outbound HTTP policy's address rules, without any network: which addresses are refused, how
// TICKWORK_HTTP_ALLOW entries (hosts, IPs, CIDRs) let them through, and IPv4-mapped IPv6 forms.
import { describe, expect, it } from "vitest";
import { addressRefusal, literalRefusal, parseAllowList } from "@/lib/outbound/policy";

const none = parseAllowList("");

describe("addressRefusal with an empty allow list", () => {
  it.each([
    ["127.0.0.1", /loopback/],
    ["127.0.0.2", /loopback/],
    ["::1", /loopback/],
    ["10.1.2.3", /private/],
    ["172.16.0.1", /private/],
    ["192.168.1.1", /private/],
    ["169.254.169.254", /link-local/],
    ["fe80::1", /link-local/],
    ["fc00::1", /unique-local/],
    ["fd12:3456::1", /unique-local/],
    ["100.64.0.1", /carrier-grade NAT/],
    ["224.0.0.1", /multicast/],
    ["ff02::1", /multicast/],
    ["0.0.0.0", /unspecified/],
    ["::", /unspecified/],
    ["255.255.255.255", /broadcast/],
    ["240.0.0.1", /reserved/],
    ["::ffff:127.0.0.1", /loopback/],
    ["::ffff:169.254.169.254", /link-local/],
    ["::ffff:a00:1", /private/],
    ["::7f00:1", /IPv4-compatible/],
    ["64:ff9b::a9fe:a9fe", /special-purpose/],
    ["2002:7f00:1::", /special-purpose/],
  ])("refuses %s", (address, reason) => {
    expect(addressRefusal(none, address)).toMatch(reason);
    expect(addressRefusal(none, address)).toMatch(/TICKWORK_HTTP_ALLOW/);
  });

  it.each(["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"])("allows the public address %s", (address) => {
    expect(addressRefusal(none, address)).toBeNull();
  });
});

describe("TICKWORK_HTTP_ALLOW", () => {
  const policy = parseAllowList(" 127.0.0.1 , 10.0.0.0/8, [fd00::1], Internal.Example. ");

  it("allows a listed address, a listed address in its IPv4-mapped form, and addresses in a listed CIDR", () => {
    expect(addressRefusal(policy, "127.0.0.1")).toBeNull();
    expect(addressRefusal(policy, "::ffff:127.0.0.1")).toBeNull();
    expect(addressRefusal(policy, "10.200.3.4")).toBeNull();
    expect(addressRefusal(policy, "fd00::1")).toBeNull();
  });

  it("still refuses what is not listed", () => {
    expect(addressRefusal(policy, "127.0.0.2")).toMatch(/loopback/);
    expect(addressRefusal(policy, "::1")).toMatch(/loopback/);
    expect(addressRefusal(policy, "192.168.0.1")).toMatch(/private/);
    expect(addressRefusal(policy, "fd00::2")).toMatch(/unique-local/);
  });

  it("allows a listed host name whatever it resolves to, ignoring case and a trailing dot", () => {
    expect(addressRefusal(policy, "192.168.0.1", "internal.example")).toBeNull();
    expect(addressRefusal(policy, "192.168.0.1", "INTERNAL.example.")).toBeNull();
    expect(addressRefusal(policy, "192.168.0.1", "other.example")).toMatch(/private/);
  });

  it.each(["10.0.0.0/33", "not a host!", "1.2.3.4/x"])("refuses the bad entry %j", (entry) => {
    expect(() => parseAllowList(entry)).toThrow(/not a valid CIDR|neither a host name/);
  });
});

describe("literalRefusal", () => {
  it("judges IP literals in URLs, in every spelling the URL parser accepts, and leaves host names to the connect-time check", () => {
    expect(literalRefusal(none, new URL("http://127.0.0.2:8080/x"))).toMatch(/loopback/);
    expect(literalRefusal(none, new URL("http://[::1]/"))).toMatch(/loopback/);
    expect(literalRefusal(none, new URL("http://[::ffff:127.0.0.1]/"))).toMatch(/loopback/);
    expect(literalRefusal(none, new URL("http://2130706433/"))).toMatch(/loopback/);
    expect(literalRefusal(none, new URL("http://0x7f.1/"))).toMatch(/loopback/);
    expect(literalRefusal(none, new URL("http://169.254.169.254/latest/meta-data/"))).toMatch(/link-local/);
    expect(literalRefusal(none, new URL("http://localhost/"))).toBeNull();
    expect(literalRefusal(none, new URL("https://example.test/"))).toBeNull();
  });
});
