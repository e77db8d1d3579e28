// Malformed cookies and tokens are no credentials: 401 UNAUTHENTICATED, never a 500.
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/api";
import { createIdentities, expectError, resetDatabase, sessionCookie, type Identities } from "../support/fixtures";

let who: Identities;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
});

const COOKIES = [
  "next-auth.session-token=%",
  "next-auth.session-token=%E0%A4%A",
  "next-auth.session-token=%ZZ; theme=dark",
  "__Secure-next-auth.session-token=%",
  "next-auth.session-token=a.b.c",
  "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAA.BBBB.CCCC",
  `next-auth.session-token=${"x".repeat(8000)}`,
  "next-auth.session-token",
  "=;;;=; next-auth.session-token==",
];

const AUTHORIZATIONS = ["Bearer", "Bearer ", "Bearer tw_%", "Bearer tw_%E0%A4%A", `Bearer tw_${"x".repeat(5000)}`, "Basic YWRtaW46YWRtaW4=", "Bearer a b", "tw_abc"];

describe("malformed credentials", () => {
  for (const cookie of COOKIES) {
    it(`answers 401 to Cookie: ${cookie.slice(0, 60)}`, async () => {
      expectError(await api("GET", "/api/jobs", { headers: { cookie } }), 401, "UNAUTHENTICATED");
      expectError(await api("GET", "/api/events", { headers: { cookie } }), 401, "UNAUTHENTICATED");
    });
  }

  for (const authorization of AUTHORIZATIONS) {
    it(`answers 401 to Authorization: ${authorization.slice(0, 60)}`, async () => {
      expectError(await api("GET", "/api/jobs", { headers: { authorization } }), 401, "UNAUTHENTICATED");
      expectError(await api("POST", "/api/jobs", { headers: { authorization }, body: {} }), 401, "UNAUTHENTICATED");
    });
  }

  it("still takes a good session cookie sent beside a malformed one", async () => {
    const good = await sessionCookie(who.users.viewer, "viewer");
    const response = await api("GET", "/api/jobs", { headers: { cookie: `__Secure-next-auth.session-token=%; ${good}` } });
    expect(response.status).toBe(200);
  });
});
