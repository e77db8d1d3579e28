// Signing in to the console through the real /login page and the real server, and the
// unauthenticated edges of the API (health, the /api/v1 alias, the sign-in limits).
import crypto from "node:crypto";
import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
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

/** Refused sign-ins the audit trail holds for an email (and why, when `reason` is given). */
async function loginFailures(email: string, reason = ""): Promise<number> {
  const [row] = await sql<{ count: number }>(
    "SELECT count(*)::int AS count FROM audit_events WHERE action = 'auth.sign_in_failed' AND actor = $1 AND summary LIKE $2",
    [email, `%${reason}%`],
  );
  return row.count;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/**
 * A client at an address of its own in 127.0.0.0/8 (Playwright's requests all come from
 * 127.0.0.1), so the sign-in limits it runs into are its own: not shared with the rest of the
 * suite, nor with a retried test. It sends what the login form sends: a CSRF token, then the
 * form-encoded credentials.
 */
function clientAtOwnAddress() {
  const octet = () => 1 + crypto.randomInt(254);
  const address = `127.${octet()}.${octet()}.${octet()}`;
  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<Answer & { text: string }>((resolve, reject) => {
      const request = http.request(new URL(path, BASE_URL), { method, headers, localAddress: address }, (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text, body: text ? JSON.parse(text) : null }));
      });
      request.on("error", reject);
      request.end(body);
    });
  return {
    address,
    async signIn(email: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
      const csrf = await send("GET", "/api/auth/csrf", headers);
      const cookie = (csrf.headers["set-cookie"] ?? []).map((entry) => entry.split(";")[0]).join("; ");
      const form = new URLSearchParams({ email, password, csrfToken: csrf.body.csrfToken, callbackUrl: "/jobs", json: "true" });
      return send("POST", "/api/auth/callback/credentials", { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" }, form.toString());
    },
  };
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

  test("the 11th sign-in for one email from one address answers 429 RATE_LIMITED with Retry-After", async () => {
    const client = clientAtOwnAddress();
    const email = `limited-${crypto.randomUUID()}@example.test`;

    for (let attempt = 1; attempt <= 10; attempt++) {
      const response = await client.signIn(email, "wrong password");
      // next-auth's answer to wrong credentials.
      expect(response.status, `attempt ${attempt}`).toBe(401);
      expect(new URL(response.body.url).searchParams.get("error"), `attempt ${attempt}`).toBe("CredentialsSignin");
    }
    expect(await loginFailures(email, "no such account")).toBe(10);

    const limited = await client.signIn(email, "wrong password");

    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    // Refused before the password check, and audited once for the window, not per refusal.
    await client.signIn(email, "wrong password");
    expect(await loginFailures(email, "no such account")).toBe(10);
    expect(await loginFailures(email, "too many attempts")).toBe(1);
  });

  test("a forged X-Forwarded-For on each attempt does not escape the limit", async () => {
    const client = clientAtOwnAddress();
    const email = `forged-${crypto.randomUUID()}@example.test`;
    for (let attempt = 1; attempt <= 10; attempt++) {
      const response = await client.signIn(email, "wrong password", { "x-forwarded-for": `203.0.113.${attempt}` });
      expect(response.status, `attempt ${attempt}`).toBe(401);
    }
    const limited = await client.signIn(email, "wrong password", { "x-forwarded-for": "198.51.100.77" });
    expect(limited.status).toBe(429);
    // The audit names the address the server saw, not the forged one.
    const summaries = await sql<{ summary: string }>("SELECT summary FROM audit_events WHERE action = 'auth.sign_in_failed' AND actor = $1", [email]);
    expect(summaries).toHaveLength(11);
    for (const { summary } of summaries) expect(summary.startsWith(`Sign-in refused from ${client.address}:`), summary).toBe(true);
  });

  test("20 parallel attempts for one email let exactly 10 reach the password check", async () => {
    const client = clientAtOwnAddress();
    const email = `parallel-${crypto.randomUUID()}@example.test`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.signIn(email, "wrong password")));
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(10);
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(10);
    expect(await loginFailures(email, "no such account")).toBe(10);
  });

  test("guessing the admin's password from one address never locks the admin out from another", async ({ page }) => {
    const attacker = clientAtOwnAddress();
    for (let attempt = 1; attempt <= 10; attempt++) expect((await attacker.signIn(ADMIN.email, "guess guess guess")).status).toBe(401);
    expect((await attacker.signIn(ADMIN.email, ADMIN.password)).status).toBe(429);

    await signIn(page, ADMIN.email, ADMIN.password);
    await expect(page).toHaveURL(/\/jobs$/);
    await expect(page.getByTestId("current-user")).toHaveText(ADMIN.email);
  });
});
