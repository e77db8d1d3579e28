// What a handler produced is made storable before it is written: NUL and unpaired surrogates
// replaced, caps counted in UTF-8 bytes without splitting a character, odd values (BigInt, cycles,
// throwing getters, 10 MB strings) turned into JSON PostgreSQL accepts.
import { describe, expect, it } from "vitest";
import { MAX_RESULT_BYTES, assertStorable, describeThrown, storableResult, storableText, textProblem } from "@/lib/storable";

const bytes = (text: string) => Buffer.byteLength(text, "utf8");
/** True when `text` has no lone surrogate (what PostgreSQL's jsonb would refuse). */
const wellFormed = (text: string) => text === text.toWellFormed();

describe("storableText", () => {
  it("replaces NUL and unpaired surrogates, keeps paired ones", () => {
    expect(storableText("ok\u0000tail", 100)).toBe("ok\uFFFDtail");
    expect(storableText("a\uD83Db", 100)).toBe("a\uFFFDb");
    expect(storableText("a\uDE00b", 100)).toBe("a\uFFFDb");
    expect(storableText("emoji 😀", 100)).toBe("emoji 😀");
  });

  it("caps by UTF-8 bytes and never cuts a character in two", () => {
    const text = "é".repeat(10) + "😀".repeat(10); // 20 + 40 bytes
    for (let cap = 0; cap <= 70; cap++) {
      const cut = storableText(text, cap);
      expect(bytes(cut)).toBeLessThanOrEqual(cap);
      expect(wellFormed(cut)).toBe(true);
      expect(text.startsWith(cut)).toBe(true);
    }
    expect(storableText(text, 21)).toBe("é".repeat(10));
    expect(storableText(text, 23)).toBe("é".repeat(10));
    expect(storableText(text, 24)).toBe("é".repeat(10) + "😀");
  });

  it("a string cut in the middle of an emoji (a truncated HTTP body) becomes storable", () => {
    const body = Buffer.from("error: 😀", "utf8").subarray(0, 9).toString("utf8");
    expect(wellFormed(storableText(body, 1000))).toBe(true);
    expect(storableText("x😀".slice(0, 2), 1000)).toBe("x\uFFFD");
  });
});

describe("storableResult", () => {
  it("keeps plain JSON as it is", () => {
    const value = { a: 1, b: [true, null, "x"], c: { d: "é" } };
    expect(storableResult(value)).toEqual(value);
    expect(storableResult(undefined)).toBeNull();
    expect(storableResult(null)).toBeNull();
  });

  it("cleans strings and keys, anywhere in the value", () => {
    expect(storableResult({ "k\u0000": ["v\u0000", { x: "\uD800" }] })).toEqual({ "k\uFFFD": ["v\uFFFD", { x: "\uFFFD" }] });
  });

  it("turns BigInt into a string, cycles into a marker, and drops what JSON drops", () => {
    const cyclic: Record<string, unknown> = { n: 10n, f: () => 1, s: Symbol("x"), nan: Number.NaN, when: new Date(0) };
    cyclic.self = cyclic;
    const shared = { x: 1 };
    expect(storableResult({ ...cyclic, pair: [shared, shared] })).toEqual({
      n: "10",
      nan: null,
      when: "1970-01-01T00:00:00.000Z",
      self: { n: "10", nan: null, when: "1970-01-01T00:00:00.000Z", self: "[Circular]" },
      pair: [{ x: 1 }, { x: 1 }],
    });
    expect(storableResult(2n ** 70n)).toBe("1180591620717411303424");
  });

  it("cuts nesting deeper than 64 levels with a marker", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 100; i++) deep = [deep];
    const text = JSON.stringify(storableResult(deep));
    expect(text).toContain("[Nested too deep]");
    expect(text).not.toContain("bottom");
  });

  it("stores results over 64 KiB as a marked preview within the cap, also for a 10 MB string of emoji", () => {
    const huge = "😀".repeat(2_500_000) + "\u0000";
    const stored = storableResult({ huge }) as { truncated: boolean; originalBytes: number; preview: string };
    expect(stored.truncated).toBe(true);
    expect(stored.originalBytes).toBeGreaterThan(10_000_000);
    expect(bytes(JSON.stringify(stored))).toBeLessThanOrEqual(MAX_RESULT_BYTES);
    expect(wellFormed(stored.preview)).toBe(true);
  });

  it("a value that throws while being read is recorded as unstorable, with the reason", () => {
    const trap = {
      get boom() {
        throw new Error("getter exploded");
      },
    };
    expect(storableResult(trap)).toEqual({ unstorable: true, reason: expect.stringContaining("getter exploded") });
    expect(storableResult({ toJSON: () => { throw new Error("toJSON exploded"); } })).toEqual({
      unstorable: true,
      reason: expect.stringContaining("toJSON exploded"),
    });
  });

  it("describeThrown survives anything a handler throws", () => {
    expect(describeThrown(new Error("x"))).toBe("x");
    expect(describeThrown("plain")).toBe("plain");
    expect(describeThrown(Symbol("s"))).toBe("Symbol(s)");
    expect(describeThrown({ toString: () => { throw new Error("no"); } })).toBe("[object Object]");
  });
});

describe("assertStorable and textProblem (what a request may bring)", () => {
  it("refuses NUL and unpaired surrogates in values and keys, accepts paired ones", () => {
    expect(textProblem("plain 😀")).toBeNull();
    expect(textProblem("a\u0000b")).toMatch(/NUL/);
    for (const text of ["\uD800", "a\uDC00", "\uD83D\uD83D", "x\uDE00y"]) expect(textProblem(text)).toMatch(/unpaired surrogate/);
    expect(() => assertStorable({ a: ["ok", "\uD800"] })).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
    expect(() => assertStorable({ ["k\uDC00"]: 1 })).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
    expect(() => assertStorable({ a: ["ok", "😀"] })).not.toThrow();
  });
});
