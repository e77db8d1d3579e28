// The role matrix, generated from the OpenAPI document: every operation it lists against every kind
// of caller, expected from the operation's `x-role` (its least role). A new endpoint is covered the
// day it is listed, and tests/integration/openapi.test.ts fails until every route file is listed.
// Path ids are unknown uuids and no body is sent, so an allowed call changes nothing that matters:
// it answers 404 or 400 (or 2xx where nothing is needed), never 401 or 403.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/auth/roles";
import { createUser } from "@/lib/auth/users";
import { openApiDocument } from "@/lib/http/openapi";
import { api, BASE_URL, type ApiOptions } from "../support/api";
import { createIdentities, expectError, resetDatabase, sessionCookie, type Identities } from "../support/fixtures";

type XRole = "public" | "cron" | "viewer" | "operator" | "admin";
const RANK = { viewer: 1, operator: 2, admin: 3 } as const;
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const CALLERS = ["none", "viewer", "operator", "admin", "revoked token", "disabled user", "cross-origin cookie"] as const;
type Caller = (typeof CALLERS)[number];

interface Operation {
  method: string;
  template: string;
  role: XRole;
}

const OPERATIONS: Operation[] = Object.entries(openApiDocument().paths).flatMap(([template, item]) =>
  Object.entries(item as Record<string, { "x-role": XRole }>).map(([method, operation]) => ({ method: method.toUpperCase(), template, role: operation["x-role"] })),
);

/** The template with an unknown uuid for each id and a valid, unused name for a secret. */
const concretePath = (template: string) =>
  template.replace(/\{(\w+)\}/g, (_match, name: string) => (name === "name" ? "ROLE_MATRIX_UNUSED" : crypto.randomUUID()));

let who: Identities;
let credentials: Record<Caller, ApiOptions>;

beforeAll(async () => {
  await resetDatabase();
  who = await createIdentities();
  const disabled = await createUser({
    actor: SYSTEM_ACTOR,
    input: { email: `disabled-${crypto.randomUUID().slice(0, 8)}@example.test`, role: "admin", password: "correct horse battery" },
  });
  await (await getPrisma()).user.update({ where: { id: disabled.id }, data: { disabled: true } });
  const adminCookie = await sessionCookie(who.users.admin, "admin");
  credentials = {
    none: {},
    viewer: { token: who.viewer },
    operator: { token: who.operator },
    admin: { token: who.admin },
    "revoked token": { token: who.revoked },
    // An admin disabled after signing in: the cookie is still well signed.
    "disabled user": { headers: { cookie: await sessionCookie(disabled, "admin"), origin: BASE_URL } },
    // An admin's own cookie, sent by another site's page.
    "cross-origin cookie": { headers: { cookie: adminCookie, origin: "https://evil.example" } },
  };
});

/** What the contract says a caller gets, from the operation's least role. */
function expected(operation: Operation, caller: Caller): { status: number; code: string } | "allowed" | "refused" {
  if (operation.role === "public") return "allowed";
  // Only the deployment's CRON_SECRET opens the cron endpoint: 401 with anything else, 403 while it is unset.
  if (operation.role === "cron") return "refused";
  if (caller === "none" || caller === "revoked token" || caller === "disabled user") return { status: 401, code: "UNAUTHENTICATED" };
  if (caller === "cross-origin cookie") return UNSAFE.has(operation.method) ? { status: 403, code: "FORBIDDEN" } : "allowed";
  return RANK[caller] >= RANK[operation.role] ? "allowed" : { status: 403, code: "FORBIDDEN" };
}

it("lists every operation with its least role", () => {
  expect(OPERATIONS.length).toBeGreaterThan(40);
  for (const operation of OPERATIONS) expect(["public", "cron", "viewer", "operator", "admin"], `${operation.method} ${operation.template}`).toContain(operation.role);
  const role = (method: string, template: string) => OPERATIONS.find((operation) => operation.method === method && operation.template === template)?.role;
  // Spot checks against the contract's table.
  expect(role("GET", "/api/jobs")).toBe("viewer");
  expect(role("POST", "/api/jobs")).toBe("operator");
  expect(role("GET", "/api/audit")).toBe("operator");
  expect(role("POST", "/api/executions/cleanup-stalled")).toBe("admin");
  expect(role("PUT", "/api/secrets/{name}")).toBe("admin");
  expect(role("GET", "/api/health")).toBe("public");
  expect(role("POST", "/api/cron/tick")).toBe("cron");
});

describe.each(OPERATIONS)("$method $template (x-role $role)", (operation) => {
  it.each(CALLERS)("%s", async (caller) => {
    const response = await api(operation.method, concretePath(operation.template), credentials[caller]);
    const expectation = expected(operation, caller);
    expect(response.status, JSON.stringify(response.body)).not.toBe(500);
    if (expectation === "allowed") {
      expect([401, 403], JSON.stringify(response.body)).not.toContain(response.status);
    } else if (expectation === "refused") {
      expect([401, 403], JSON.stringify(response.body)).toContain(response.status);
      expectError(response, response.status, response.status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN");
    } else {
      expectError(response, expectation.status, expectation.code);
    }
  });
});
