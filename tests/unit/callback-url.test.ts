// Where the sign-in page sends people afterwards: a path on this site, never another host.
import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/callback-url";

describe("safeCallbackPath", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeCallbackPath("/runs?execution=1#top")).toBe("/runs?execution=1#top");
    expect(safeCallbackPath("/jobs/abc")).toBe("/jobs/abc");
    expect(safeCallbackPath("/a/../settings")).toBe("/settings");
  });

  it.each([
    "/\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "//evil.example/jobs",
    "/\t/evil.example",
    "/\n/evil.example",
    "https://evil.example/jobs",
    "javascript:alert(1)",
    "evil.example",
    "",
    undefined,
    null,
  ])("sends %j to /jobs instead", (value) => {
    expect(safeCallbackPath(value)).toBe("/jobs");
  });
});
