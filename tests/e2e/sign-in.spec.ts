// Signing in to the console through the real /login page and the real server, and the
// unauthenticated edges of the API (health, the /api/v1 alias, the sign-in rate limit).
import crypto from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { DEFAULT_PAGE_SIZE } from "../../components/jobs/list-query";
import { ADMIN } from "./support/settings";

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
async function postCredentials(request: APIRequestContext, email: string, password: string) {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  return request.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken, callbackUrl: "/jobs", json: "true" },
  });
}

async function loginFailures(email: string): Promise<number> {
  const [row] = await sql<{ count: number }>("SELECT count(*)::int AS count FROM login_failures WHERE email = $1", [email]);
  return row.count;
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
    await expect(rows.locator('td[data-label="Name"]')).toContainText(jobs.items.map((job) => job.name));
    await expect(rows.locator('td[data-label="Type"]')).toHaveText(jobs.items.map((job) => job.type));
    await expect(rows.locator('td[data-label="Enabled"]')).toHaveText(jobs.items.map((job) => (job.enabled ? "Enabled" : "Disabled")));
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

  test("the 11th sign-in after 10 failures for one email answers 429 RATE_LIMITED", async ({ request }) => {
    // Eleven bcrypt comparisons on a busy 2-core machine.
    test.setTimeout(60_000);
    // A fresh email per run, so the limit never locks out the admin or a retried test.
    const email = `limited-${crypto.randomUUID()}@example.test`;

    for (let attempt = 1; attempt <= 10; attempt++) {
      const response = await postCredentials(request, email, "wrong password");
      expect(response.status(), `attempt ${attempt}`).not.toBe(429);
      const { url } = (await response.json()) as { url: string };
      expect(new URL(url).searchParams.get("error"), `attempt ${attempt}`).toBe("CredentialsSignin");
    }
    expect(await loginFailures(email)).toBe(10);

    const limited = await postCredentials(request, email, "wrong password");

    expect(limited.status()).toBe(429);
    expect(limited.headers()["retry-after"]).toBe("900");
    expect((await limited.json()).error.code).toBe("RATE_LIMITED");
    // Refused before the password check: not counted again.
    expect(await loginFailures(email)).toBe(10);
  });
});
