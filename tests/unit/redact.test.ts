// The one redaction function and its inverse, and the params editor's view of hidden values.
import { describe, expect, it } from "vitest";
import { hiddenCredentials, replaceHidden, secretPrefixBefore } from "@/components/jobs/hidden-credentials";
import { redactChanges, redactParams, redactUrl, restoreRedacted } from "@/lib/secrets/redact";

describe("redactUrl", () => {
  it.each([
    ["https://u:p@h.test/x", "https://u:[redacted]@h.test/x"],
    ["https://u:p@ss@h.test/x?a=b@c", "https://u:[redacted]@h.test/x?a=b@c"],
    ["https://:p@h.test/", "https://:[redacted]@h.test/"],
    ["https://user@h.test/", "https://user@h.test/"],
    ["https://u:@h.test/", "https://u:@h.test/"],
    ["https://h.test/a:b@c", "https://h.test/a:b@c"],
    ["https://u:{{secrets.PW}}@h.test/", "https://u:{{secrets.PW}}@h.test/"],
  ])("%s -> %s", (url, shown) => expect(redactUrl(url)).toBe(shown));
});

describe("redactParams", () => {
  it("redacts sensitive header values by name, any case, and leaves the rest and secret references", () => {
    const headers = { AUTHORIZATION: "a", Cookie: "c", "proxy-authorization": "p", "X-Auth-Token": "t", "x-monkey": "k", "X-Secret-Id": "s", "X-PASSWORD-2": "w", Accept: "json", "X-Token": "Bearer {{secrets.T}}" };
    expect(redactParams({ url: "https://h.test", headers, body: "Authorization: a" })).toEqual({
      url: "https://h.test",
      headers: { AUTHORIZATION: "[redacted]", Cookie: "[redacted]", "proxy-authorization": "[redacted]", "X-Auth-Token": "[redacted]", "x-monkey": "[redacted]", "X-Secret-Id": "[redacted]", "X-PASSWORD-2": "[redacted]", Accept: "json", "X-Token": "Bearer {{secrets.T}}" },
      body: "Authorization: a",
    });
  });

  it("redacts both sides of a params change and leaves other changes alone", () => {
    const changes = { params: { from: { headers: { Cookie: "old" } }, to: { headers: { Cookie: "new" } } }, name: { from: "a", to: "b" } };
    expect(redactChanges(changes)).toEqual({ params: { from: { headers: { Cookie: "[redacted]" } }, to: { headers: { Cookie: "[redacted]" } } }, name: { from: "a", to: "b" } });
  });
});

describe("restoreRedacted", () => {
  const stored = { url: "https://u:p%40ss@h.test/", headers: { Authorization: "Bearer x" } };

  it("puts the stored values back for every [redacted], matching header names without case", () => {
    expect(restoreRedacted({ url: "https://u:[redacted]@h.test/", headers: { authorization: "[redacted]", Accept: "a" } }, stored)).toEqual({
      url: "https://u:p%40ss@h.test/",
      headers: { authorization: "Bearer x", Accept: "a" },
    });
    expect(restoreRedacted({ url: "https://u:%5Bredacted%5D@other.test/" }, stored)).toEqual({ url: "https://u:p%40ss@other.test/" });
  });

  it("refuses a [redacted] with nothing stored behind it", () => {
    expect(() => restoreRedacted({ headers: { Cookie: "[redacted]" } }, stored)).toThrow(/no stored value for header Cookie/);
    expect(() => restoreRedacted({ url: "https://u:[redacted]@h.test/" }, {})).toThrow(/password/);
  });
});

describe("the params editor's hidden values", () => {
  const text = JSON.stringify({ url: "https://u:[redacted]@h.test/", headers: { Authorization: "[redacted]", Accept: "a" } }, null, 2);

  it("lists them and replaces one with a typed value", () => {
    expect(hiddenCredentials(text)).toEqual([
      { path: "url", label: "The URL's password" },
      { path: "headers.Authorization", label: "Header Authorization" },
    ]);
    expect(JSON.parse(replaceHidden(text, "headers.Authorization", "Bearer new"))).toMatchObject({ headers: { Authorization: "Bearer new", Accept: "a" } });
    expect(JSON.parse(replaceHidden(text, "url", "p@ss")).url).toBe("https://u:p%40ss@h.test/");
    expect(hiddenCredentials("not json")).toEqual([]);
  });

  it("finds the secret name being typed before the caret", () => {
    expect(secretPrefixBefore('"x": "{{secrets.REP')).toBe("REP");
    expect(secretPrefixBefore('"x": "{{ secrets.')).toBe("");
    expect(secretPrefixBefore('"x": "{{secrets.REP}}')).toBeNull();
  });
});
