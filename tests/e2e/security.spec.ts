// The web hardening, through the real server and browser: security headers on every answer, a
// Content-Security-Policy the console works under (and that forbids framing it), JSON errors for
// unknown API paths and methods, malformed cookies answered 401, and a sign-in page that never
// sends anyone to another site.
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/console";
import { ADMIN, BASE_URL } from "./support/settings";

/** Fails the test if the page reports a CSP violation; call before the page loads anything. */
async function recordViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("__reportViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      (window as unknown as { __reportViolation: (text: string) => void }).__reportViolation(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** Requests that would leave this origin are answered here and recorded, never sent. */
async function keepOnSite(page: Page): Promise<string[]> {
  const offSite: string[] = [];
  await page.context().route(
    (url) => url.origin !== BASE_URL,
    (route) => {
      offSite.push(route.request().url());
      return route.fulfill({ status: 200, contentType: "text/plain", body: "off-site" });
    },
  );
  return offSite;
}

test.describe("security headers", () => {
  test("every kind of answer carries CSP with frame-ancestors 'none', nosniff and Referrer-Policy, and no HSTS over http", async ({ request, page }) => {
    await page.goto("/login");
    const script = await page.locator("script[src]").first().getAttribute("src");
    expect(script).toMatch(/^\/_next\/static\//);
    const answers = {
      "sign-in page": await request.get("/login"),
      "console page, signed out": await request.get("/jobs", { maxRedirects: 0 }),
      "unknown page": await request.get("/no-such-page"),
      "API answer": await request.get("/api/health"),
      "API error": await request.get("/api/jobs"),
      "API under /api/v1": await request.get("/api/v1/jobs"),
      "unknown API path": await request.get("/api/no-such-endpoint"),
      "event stream refused": await request.get("/api/events"),
      "static script": await request.get(script!),
      icon: await request.get("/icon.svg"),
    };
    for (const [what, response] of Object.entries(answers)) {
      const headers = response.headers();
      expect(headers["content-security-policy"], what).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
      expect(headers["x-content-type-options"], what).toBe("nosniff");
      expect(headers["referrer-policy"], what).toBe("same-origin");
      expect(headers["strict-transport-security"], what).toBeUndefined();
    }
    // Pages allow only their own nonce'd scripts; API answers allow nothing.
    const pagePolicy = answers["sign-in page"].headers()["content-security-policy"];
    expect(pagePolicy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
    expect(pagePolicy).not.toContain("unsafe-eval");
    expect(answers["API answer"].headers()["content-security-policy"]).toMatch(/^default-src 'none'/);
    // A fresh nonce per page.
    const again = (await request.get("/login")).headers()["content-security-policy"];
    expect(again).not.toBe(pagePolicy);
  });

  test("HSTS is sent when the request came over https (a proxy in front says so)", async ({ request }) => {
    for (const path of ["/login", "/api/health"]) {
      const response = await request.get(path, { headers: { "x-forwarded-proto": "https" } });
      expect(response.headers()["strict-transport-security"], path).toMatch(/^max-age=\d{7,}/);
    }
  });

  test("the console works under the policy: no violation while signing in and visiting every page", async ({ page }) => {
    const violations = await recordViolations(page);
    await signIn(page);
    await expect(page.getByTestId("live-status")).toHaveText("Live");
    for (const [path, heading] of [["/runs", "Runs"], ["/audit", "Audit"], ["/settings", "Settings"], ["/jobs", "Jobs"]]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    }
    // Client-side code ran (hydrated): the stream connected and a dialog opens.
    await expect(page.getByTestId("live-status")).toHaveText("Live");
    await page.getByRole("button", { name: "New job" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    expect(violations).toEqual([]);
  });

  test("another site cannot frame the console", async ({ page }) => {
    const violations = await recordViolations(page);
    await page.setContent(`<iframe id="framed" src="${BASE_URL}/login" width="600" height="400"></iframe>`);
    const frame = page.frameLocator("#framed");
    await expect.poll(async () => page.frames().length).toBe(2);
    // The browser refuses to render it: the sign-in form never appears inside the frame.
    await expect(frame.getByLabel("Email")).toHaveCount(0, { timeout: 3000 });
    expect(page.frames()[1].url()).not.toBe(`${BASE_URL}/login`);
    expect(violations.join("\n")).toMatch(/frame-ancestors/);
  });
});

test.describe("JSON for every /api answer", () => {
  test("an unknown API path answers 404 NOT_FOUND as JSON, also under /api/v1", async ({ request }) => {
    for (const path of ["/api/nope", "/api/jobs/00000000-0000-4000-8000-000000000000/nope", "/api/v1/nope"]) {
      for (const method of ["GET", "POST", "DELETE"]) {
        const response = await request.fetch(path, { method, headers: { origin: BASE_URL } });
        expect(response.status(), `${method} ${path}`).toBe(404);
        expect(response.headers()["content-type"], `${method} ${path}`).toMatch(/^application\/json/);
        expect((await response.json()).error.code, `${method} ${path}`).toBe("NOT_FOUND");
      }
    }
  });

  test("a method the path does not serve answers 405 METHOD_NOT_ALLOWED as JSON with Allow", async ({ request }) => {
    const cases: [string, string, string][] = [
      ["DELETE", "/api/health", "GET, HEAD, OPTIONS"],
      ["POST", "/api/v1/health", "GET, HEAD, OPTIONS"],
      ["PUT", "/api/jobs", "GET, POST, HEAD, OPTIONS"],
      ["GET", "/api/enqueue", "POST, OPTIONS"],
      ["POST", "/api/jobs/00000000-0000-4000-8000-000000000000", "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"],
    ];
    for (const [method, path, allow] of cases) {
      const response = await request.fetch(path, { method });
      expect(response.status(), `${method} ${path}`).toBe(405);
      expect(response.headers()["allow"], `${method} ${path}`).toBe(allow);
      expect((await response.json()).error.code, `${method} ${path}`).toBe("METHOD_NOT_ALLOWED");
    }
    const options = await request.fetch("/api/jobs", { method: "OPTIONS" });
    expect(options.status()).toBe(204);
    expect(options.headers()["allow"]).toBe("GET, POST, HEAD, OPTIONS");
  });
});

test.describe("malformed credentials", () => {
  for (const cookie of ["next-auth.session-token=%", "__Secure-next-auth.session-token=%E0%A4%A", "next-auth.session-token=%ZZ%; a=b"]) {
    test(`Cookie: ${cookie} is 401 on the API and the sign-in page in the console`, async ({ request, page }) => {
      for (const path of ["/api/jobs", "/api/events", "/api/v1/stats"]) {
        const response = await request.get(path, { headers: { cookie } });
        expect(response.status(), path).toBe(401);
        expect((await response.json()).error.code, path).toBe("UNAUTHENTICATED");
      }
      await page.setExtraHTTPHeaders({ cookie });
      const response = await page.goto("/jobs");
      expect(response?.status()).toBe(200);
      await expect(page).toHaveURL(/\/login(\?|$)/);
    });
  }
});

test.describe("where the sign-in page sends people", () => {
  const OFF_SITE = ["/%5Cevil.example", "//evil.example", "/%5C/evil.example", "/%09/evil.example", "https://evil.example/jobs", "%2F%2Fevil.example"];

  for (const callbackUrl of OFF_SITE) {
    test(`signing in with callbackUrl=${callbackUrl} stays on this site`, async ({ page }) => {
      const offSite = await keepOnSite(page);
      await page.goto(`/login?callbackUrl=${callbackUrl}`);
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(`${BASE_URL}/jobs`);
      await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
      // Signed in already: the page redirects at once, to the same safe place.
      await page.goto(`/login?callbackUrl=${callbackUrl}`);
      await expect(page).toHaveURL(`${BASE_URL}/jobs`);
      expect(offSite).toEqual([]);
    });
  }

  test("a path on this site is where signing in leads", async ({ page }) => {
    await page.goto(`/login?callbackUrl=${encodeURIComponent("/runs?status=FAILED")}`);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${BASE_URL}/runs?status=FAILED`);
  });
});
