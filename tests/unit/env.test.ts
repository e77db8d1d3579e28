// The configuration is checked once at start, with a message that names each bad setting.
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { UserInput } from "@/lib/auth/users";

describe("parseEnv", () => {
  it("refuses an ADMIN_PASSWORD the console would refuse, naming the setting and the rule", () => {
    for (const password of ["12345678", "123456789"]) {
      expect(() => parseEnv({ ADMIN_EMAIL: "ops@example.test", ADMIN_PASSWORD: password })).toThrow(
        /Invalid configuration:\n {2}ADMIN_PASSWORD: Use at least 10 characters/,
      );
      expect(UserInput.safeParse({ email: "ops@example.test", role: "admin", password }).success).toBe(false);
    }
    expect(parseEnv({ ADMIN_EMAIL: "ops@example.test", ADMIN_PASSWORD: "1234567890" }).ADMIN_PASSWORD).toBe("1234567890");
  });

  it("trusts no proxy hop by default and takes a small count", () => {
    expect(parseEnv({}).TICKWORK_TRUSTED_PROXY_HOPS).toBe(0);
    expect(parseEnv({ TICKWORK_TRUSTED_PROXY_HOPS: "2" }).TICKWORK_TRUSTED_PROXY_HOPS).toBe(2);
    expect(() => parseEnv({ TICKWORK_TRUSTED_PROXY_HOPS: "-1" })).toThrow(/TICKWORK_TRUSTED_PROXY_HOPS/);
  });

  it("refuses an HTTP tick budget out of range with a start error naming the variable", () => {
    expect(parseEnv({}).TICKWORK_HTTP_TICK_SECONDS).toBe(50);
    expect(parseEnv({ TICKWORK_HTTP_TICK_SECONDS: "55" }).TICKWORK_HTTP_TICK_SECONDS).toBe(55);
    for (const value of ["0", "56", "600", "ten", "1.5"]) {
      expect(() => parseEnv({ TICKWORK_HTTP_TICK_SECONDS: value })).toThrow(/Invalid configuration:\n {2}TICKWORK_HTTP_TICK_SECONDS: /);
    }
  });

  it("grows the heap by half past what survived by default, and takes 0 for V8's own growth", () => {
    expect(parseEnv({}).TICKWORK_HEAP_GROWTH_PERCENT).toBe(50);
    expect(parseEnv({ TICKWORK_HEAP_GROWTH_PERCENT: "0" }).TICKWORK_HEAP_GROWTH_PERCENT).toBe(0);
    for (const value of ["-1", "301", "half", "1.5"]) {
      expect(() => parseEnv({ TICKWORK_HEAP_GROWTH_PERCENT: value })).toThrow(/Invalid configuration:\n {2}TICKWORK_HEAP_GROWTH_PERCENT: /);
    }
  });
});
