// Event-to-screen latency of the console: a signed-in Chromium on the Runs page asks for runs
// (POST /api/jobs/:id/run from the page itself, so one clock measures everything) and times when
// each run's row appears in the live monitor, and when its execution.queued event arrived there.
import fs from "node:fs";
import { chromium, type Page } from "@playwright/test";
import { SYSTEM_ACTOR } from "@/lib/auth/roles";
import { createUser } from "@/lib/auth/users";
import { alternate, median, percentile, report, roundsOf } from "./support";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
/** A run's row in the live monitor (not the history table, which follows later through a refresh). */
const MONITOR_ROW = '[data-testid="live-monitor"] [data-execution-id]';
const WARM_UP = 10;

interface Sample {
  /** From sending the run request to the row in the DOM. */
  requestToRow: number;
  /** From the execution.queued event reaching the page to the row in the DOM; null when the row came first (e.g. from a snapshot). */
  eventToRow: number | null;
}

/**
 * Records, in the page, when each execution.queued event arrives and when each monitor row is
 * added. A string, not a function: tsx's compiled helpers would not exist in the browser.
 */
const INSTRUMENT_PAGE = `
  const arrivals = new Map(), rows = new Map(), waiting = new Map();
  Object.assign(window, { benchArrivals: arrivals, benchRows: rows, benchWaiting: waiting });
  const NativeEventSource = window.EventSource;
  window.EventSource = class extends NativeEventSource {
    constructor(url, init) {
      super(url, init);
      // Registered first, so it runs before the console's own listener for the same event.
      super.addEventListener("execution.queued", (event) => {
        const id = JSON.parse(event.data).id;
        if (!arrivals.has(id)) arrivals.set(id, performance.now());
      });
    }
  };
  new MutationObserver(() => {
    for (const element of document.querySelectorAll(${JSON.stringify(MONITOR_ROW)})) {
      const id = element.dataset.executionId;
      if (rows.has(id)) continue;
      rows.set(id, performance.now());
      waiting.get(id)?.();
    }
  }).observe(document, { childList: true, subtree: true });
`;

/** How long one run may take to show up before the bench gives up on it. */
const SAMPLE_TIMEOUT_MS = 10_000;

async function measureInPage(page: Page, jobId: string, count: number): Promise<Sample[]> {
  return page.evaluate(
    async ({ jobId, count, timeoutMs }) => {
      const { benchArrivals, benchRows, benchWaiting } = window as unknown as {
        benchArrivals: Map<string, number>;
        benchRows: Map<string, number>;
        benchWaiting: Map<string, () => void>;
      };
      const samples: { requestToRow: number; eventToRow: number | null }[] = [];
      for (let i = 0; i < count; i++) {
        const sent = performance.now();
        const response = await fetch(`/api/jobs/${jobId}/run`, { method: "POST" });
        if (response.status !== 202) throw new Error(`POST /run answered ${response.status}: ${await response.text()}`);
        const { execution } = (await response.json()) as { execution: { id: string } };
        if (!benchRows.has(execution.id)) {
          const shown = new Promise<void>((resolve) => benchWaiting.set(execution.id, resolve));
          const late = new Promise<never>((_, reject) =>
            setTimeout(
              () => reject(new Error(`run ${execution.id} (sample ${i + 1} of ${count}) not on screen after ${timeoutMs} ms; its execution.queued event ${benchArrivals.has(execution.id) ? "arrived" : "never arrived"}`)),
              timeoutMs,
            ),
          );
          await Promise.race([shown, late]);
        }
        const shownAt = benchRows.get(execution.id)!;
        const arrivedAt = benchArrivals.get(execution.id);
        samples.push({ requestToRow: shownAt - sent, eventToRow: arrivedAt === undefined ? null : shownAt - arrivedAt });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return samples;
    },
    { jobId, count, timeoutMs: SAMPLE_TIMEOUT_MS },
  );
}

async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/jobs$/);
}

export async function consoleLatency(baseUrl: string, jobId: string, samples: number): Promise<void> {
  if (!fs.existsSync(CHROMIUM)) {
    report("run-now to a row on the Runs page", "skipped: no /usr/bin/chromium", "<= 100 ms p95", null);
    return;
  }
  // The bench's database is dropped at the end, and this user with it.
  const email = `bench-${Date.now()}@tickwork.test`;
  const password = `bench-password-${Date.now()}`;
  await createUser({ actor: SYSTEM_ACTOR, input: { email, password, role: "operator" } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.addInitScript(INSTRUMENT_PAGE);
    await signIn(page, baseUrl, email, password);
    await page.goto(`${baseUrl}/runs`);
    await page.getByTestId("live-monitor").waitFor();
    await measureInPage(page, jobId, WARM_UP);
    const measured = await measureInPage(page, jobId, samples);
    const requestToRow = measured.map((sample) => sample.requestToRow);
    const eventToRow = measured.flatMap((sample) => (sample.eventToRow === null ? [] : [sample.eventToRow]));
    report(
      "run-now request to its row in the Runs page's live monitor (Chromium), p95",
      `p50 ${percentile(requestToRow, 50).toFixed(1)} ms, p95 ${percentile(requestToRow, 95).toFixed(1)} ms (${samples} runs)`,
      "<= 100 ms",
      percentile(requestToRow, 95) <= 100,
    );
    report(
      "execution.queued arriving in the page to its row in the DOM, p95",
      `p50 ${percentile(eventToRow, 50).toFixed(1)} ms, p95 ${percentile(eventToRow, 95).toFixed(1)} ms (${samples - eventToRow.length} rows without a seen event)`,
      "printed",
      null,
    );
  } finally {
    await browser.close();
  }
}

/** What "the table is on screen" means on each page: its first row. */
const PAGES = {
  jobs: { path: "/jobs", shown: "table.jobs-table tbody tr" },
  runs: { path: "/runs", shown: '[data-testid="history-table"] tbody tr' },
  // The reference: the same console shell with a filter that matches nothing, so no rows to read or render.
  empty: { path: "/jobs?query=no-such-job-anywhere", shown: '[data-testid="empty-state"]' },
};

/**
 * Records in the page when each page's "shown" element is first painted: the frame after it is
 * first in the document (or the first paint, if it came with the HTML). The page's own clock, from
 * the start of the navigation; Playwright's polling of a busy page adds hundreds of ms of its own.
 */
const RECORD_SHOWN = `
  window.benchShown = null;
  const selector = ${JSON.stringify(Object.values(PAGES).map((page) => page.shown).join(", "))};
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    observer.disconnect();
    // A requestAnimationFrame callback runs just before the frame is painted.
    requestAnimationFrame((at) => { window.benchShown = at; });
  });
  observer.observe(document, { childList: true, subtree: true });
`;

/** Milliseconds from the start of the navigation to `selector` painted, in a fresh page of a signed-in context. */
async function timeToShown(page: Page, url: string, selector: string): Promise<number> {
  await page.goto(url, { waitUntil: "commit" });
  await page.locator(selector).first().waitFor({ state: "visible", timeout: 30_000 });
  return page.waitForFunction(() => (window as unknown as { benchShown: number | null }).benchShown).then((handle) => handle.jsonValue() as Promise<number>);
}

/**
 * Page load of /jobs and /runs with `jobs` jobs (and as many finished runs): from the navigation
 * to the table's first row painted in Chromium, in alternating rounds beside the empty job list.
 */
export async function pageLoad(baseUrl: string, jobs: number): Promise<void> {
  if (!fs.existsSync(CHROMIUM)) {
    report("page load of /jobs and /runs", "skipped: no /usr/bin/chromium", "<= 1 s to the table", null);
    return;
  }
  const email = `bench-pages-${Date.now()}@tickwork.test`;
  const password = `bench-password-${Date.now()}`;
  await createUser({ actor: SYSTEM_ACTOR, input: { email, password, role: "operator" } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    await context.addInitScript(RECORD_SHOWN);
    const signedIn = await context.newPage();
    await signIn(signedIn, baseUrl, email, password);
    await signedIn.close();
    const measure = (name: keyof typeof PAGES) => async () => {
      const page = await context.newPage();
      try {
        return await timeToShown(page, `${baseUrl}${PAGES[name].path}`, PAGES[name].shown);
      } finally {
        await page.close();
      }
    };
    // Warm-up: the server compiles nothing in production, but its first render of each page fills caches.
    for (const name of Object.keys(PAGES) as (keyof typeof PAGES)[]) await measure(name)();
    const rounds = await alternate({ empty: measure("empty"), jobs: measure("jobs"), runs: measure("runs") });
    for (const name of ["jobs", "runs"] as const) {
      const ms = median(rounds[name]);
      const ratio = median(rounds[name].map((value, i) => value / rounds.empty[i]));
      report(
        `page load of ${PAGES[name].path} with ${jobs.toLocaleString("en")} jobs${name === "runs" ? " and as many runs" : ""}: navigation to the table's first row (Chromium)`,
        `${ms.toFixed(0)} ms [${roundsOf(rounds[name])}] to the first row painted; ${ratio.toFixed(2)}× the empty job list (${median(rounds.empty).toFixed(0)} ms)`,
        "<= 1 s",
        ms <= 1000,
      );
    }
  } finally {
    await browser.close();
  }
}
