// Signing in to the console through the real /login page and the real server, and the
// unauthenticated edges of the API (health, the /api/v1 alias, the sign-in limits).
import crypto from "node:crypto";
import http from "node:http";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { DEFAULT_PAGE_SIZE } from "../../components/jobs/list-query";
import { ADMIN, BASE_URL } from "./support/settings";

interface JobsPage {
  items: { name: string; type: string; enabled: boolean; systemManaged: boolean }[];
  total: number;
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** What the login form sends: a fresh CSRF token, then the form-encoded credentials callback. */
async function postCredentials(request: APIRequestContext, email: string, password: string, headers: Record<string, string> = {}) {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  return request.post("/api/auth/callback/credentials", {
    headers,
    form: { email, password, csrfToken, callbackUrl: "/jobs", json: "true" },
  });
}

/** Refused sign-ins the audit trail holds for an email (and why, when `reason` is given). */
async function loginFailures(email: string, reason = ""): Promise<number> {
  const [row] = await sql<{ count: number }>(
    "SELECT count(*)::int AS count FROM audit_events WHERE action = 'auth.sign_in_failed' AND actor = $1 AND summary LIKE $2",
    [email, `%${reason}%`],
  );
  return row.count;
}

/**
 * The login form's two requests from another loopback address (127.0.0.x), so the server sees
 * another client: Playwright's own requests always come from 127.0.0.1.
 */
async function postCredentialsFrom(localAddress: string, email: string, password: string): Promise<number> {
  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; cookies: string[]; text: string }>((resolve, reject) => {
      const request = http.request(new URL(path, BASE_URL), { method, headers, localAddress }, (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, cookies: response.headers["set-cookie"] ?? [], text }));
      });
      request.on("error", reject);
      request.end(body);
    });
  const csrf = await send("GET", "/api/auth/csrf", {});
  const cookie = csrf.cookies.map((entry) => entry.split(";")[0]).join("; ");
  const form = new URLSearchParams({ email, password, csrfToken: JSON.parse(csrf.text).csrfToken, callbackUrl: "/jobs", json: "true" });
  const answer = await send("POST", "/api/auth/callback/credentials", { cookie, "content-type": "application/x-www-form-urlencoded" }, form.toString());
  return answer.status;
}

test.describe("console sign-in", () => {
  test("an admin signs in on /login and sees the jobs the API and database hold", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);

    await expect(page).toHaveURL(/\/jobs$/);
    await expect(page.getByTestId("current-user")).toHaveText(ADMIN.email);
    await expect(page.getByTestId("current-role")).toHaveText("admin");
    await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();

    const table = page.getByRole("table");
    // The table's first page lists exactly what GET /api/jobs gives the same session, in the same order.
    const response = await page.request.get(`/api/jobs?pageSize=${DEFAULT_PAGE_SIZE}`);
    expect(response.status()).toBe(200);
    const jobs = (await response.json()) as JobsPage;
    const rows = table.locator("tbody tr");
    await expect(rows).toHaveCount(jobs.items.length);
    await expect(rows.locator("td:nth-child(1)")).toContainText(jobs.items.map((job) => job.name));
    await expect(rows.locator("td:nth-child(2)")).toHaveText(jobs.items.map((job) => job.type));
    await expect(rows.locator("td:nth-child(4)")).toHaveText(jobs.items.map((job) => (job.enabled ? "Enabled" : "Disabled")));
    await expect(page.getByText(jobs.total === 1 ? "1 job" : `${jobs.total} jobs`, { exact: true })).toBeVisible();

    // The system-managed retention job, found by the search box's query, carries its lock.
    await page.goto("/jobs?query=Execution%20history%20retention");
    const retention = table.getByRole("row").filter({ hasText: "Execution history retention" });
    await expect(retention).toHaveCount(1);
    await expect(retention).toContainText("system.retention");
    await expect(retention.getByTitle("Managed by Tickwork; it cannot be changed")).toBeVisible();
    const found = (await (await page.request.get("/api/jobs?query=Execution%20history%20retention")).json()) as JobsPage;
    expect(found.items.map((job) => [job.name, job.systemManaged])).toEqual([["Execution history retention", true]]);

    // And the API what the database holds: the live jobs, and the admin from ADMIN_EMAIL, now signed in once.
    const [{ count }] = await sql<{ count: number }>("SELECT count(*)::int AS count FROM jobs WHERE deleted_at IS NULL");
    expect(jobs.total).toBe(count);
    const [admin] = await sql<{ role: string; last_login_at: Date | null }>(
      "SELECT role::text AS role, last_login_at FROM users WHERE email = $1",
      [ADMIN.email],
    );
    expect(admin.role).toBe("admin");
    expect(admin.last_login_at).not.toBeNull();
    // Audited with the address the server saw.
    const [audited] = await sql<{ summary: string }>(
      "SELECT summary FROM audit_events WHERE action = 'auth.sign_in' AND actor = $1 ORDER BY at DESC LIMIT 1",
      [ADMIN.email],
    );
    expect(audited.summary).toBe("Signed in from 127.0.0.1");
  });

  test("a wrong password is refused and counted", async ({ page }) => {
    const before = await loginFailures(ADMIN.email);
    await signIn(page, ADMIN.email, "not-the-password");

    // The form's own alert; Next.js adds a second one, its route announcer.
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    expect((await page.request.get("/api/jobs")).status()).toBe(401);
    expect(await loginFailures(ADMIN.email)).toBe(before + 1);
  });

  test("a visitor without a session is sent from /jobs to /login", async ({ page }) => {
    await page.goto("/jobs");

    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("heading", { name: "Sign in to Tickwork" })).toBeVisible();
    await expect(page.getByLabel("Email")).toBeVisible();
  });

  test("signing out returns to /login and ends the session", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await expect(page).toHaveURL(/\/jobs$/);
    expect((await page.request.get("/api/jobs")).status()).toBe(200);

    await page.getByRole("button", { name: "Sign out" }).click();

    await expect(page).toHaveURL(/\/login$/);
    expect((await page.request.get("/api/jobs")).status()).toBe(401);
    await page.goto("/jobs");
    await expect(page).toHaveURL(/\/login$/);
  });
});

test.describe("API through the real server", () => {
  test("GET /api/health answers 200 with status ok", async ({ request }) => {
    const response = await request.get("/api/health");

    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: "ok" });
  });

  test("/api/v1/jobs without credentials answers 401 UNAUTHENTICATED, as /api/jobs does", async ({ request }) => {
    for (const path of ["/api/v1/jobs", "/api/jobs"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(401);
      expect((await response.json()).error.code, path).toBe("UNAUTHENTICATED");
    }
  });

  test("the 11th sign-in for one email from one address answers 429 RATE_LIMITED with Retry-After", async ({ request }) => {
    // A fresh email per run, so the limit never locks out the admin or a retried test.
    const email = `limited-${crypto.randomUUID()}@example.test`;

    for (let attempt = 1; attempt <= 10; attempt++) {
      const response = await postCredentials(request, email, "wrong password");
      expect(response.status(), `attempt ${attempt}`).not.toBe(429);
      const { url } = (await response.json()) as { url: string };
      expect(new URL(url).searchParams.get("error"), `attempt ${attempt}`).toBe("CredentialsSignin");
    }
    expect(await loginFailures(email, "no such account")).toBe(10);

    const limited = await postCredentials(request, email, "wrong password");

    expect(limited.status()).toBe(429);
    const retryAfter = Number(limited.headers()["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect((await limited.json()).error.code).toBe("RATE_LIMITED");
    // Refused before the password check, and audited once for the window, not per refusal.
    await postCredentials(request, email, "wrong password");
    expect(await loginFailures(email, "no such account")).toBe(10);
    expect(await loginFailures(email, "too many attempts")).toBe(1);
  });

  test("a forged X-Forwarded-For on each attempt does not escape the limit", async ({ request }) => {
    const email = `forged-${crypto.randomUUID()}@example.test`;
    for (let attempt = 1; attempt <= 10; attempt++) {
      const response = await postCredentials(request, email, "wrong password", { "x-forwarded-for": `203.0.113.${attempt}` });
      expect(response.status(), `attempt ${attempt}`).not.toBe(429);
    }
    const limited = await postCredentials(request, email, "wrong password", { "x-forwarded-for": "198.51.100.77" });
    expect(limited.status()).toBe(429);
    // The audit names the address the server saw, not the forged one.
    const [row] = await sql<{ summary: string }>(
      "SELECT summary FROM audit_events WHERE action = 'auth.sign_in_failed' AND actor = $1 ORDER BY at DESC LIMIT 1",
      [email],
    );
    expect(row.summary).toMatch(/^Sign-in refused from 127\.0\.0\.1:/);
  });

  test("20 parallel attempts for one email let exactly 10 reach the password check", async ({ request }) => {
    const email = `parallel-${crypto.randomUUID()}@example.test`;
    const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        request.post("/api/auth/callback/credentials", { form: { email, password: "wrong password", csrfToken, callbackUrl: "/jobs", json: "true" } }),
      ),
    );
    const statuses = answers.map((answer) => answer.status());
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    expect(await loginFailures(email, "no such account")).toBe(10);
  });

  test("guessing the admin's password from one address never locks the admin out from another", async ({ page }) => {
    // Another loopback address per run, so a retried test starts from a fresh count.
    const attacker = `127.0.0.${2 + Math.floor(Math.random() * 250)}`;
    // Wrong credentials answer 401 (next-auth's CredentialsSignin), not 429.
    for (let attempt = 1; attempt <= 10; attempt++) expect(await postCredentialsFrom(attacker, ADMIN.email, "guess guess guess")).toBe(401);
    expect(await postCredentialsFrom(attacker, ADMIN.email, ADMIN.password)).toBe(429);

    await signIn(page, ADMIN.email, ADMIN.password);
    await expect(page).toHaveURL(/\/jobs$/);
    await expect(page.getByTestId("current-user")).toHaveText(ADMIN.email);
  });
});
