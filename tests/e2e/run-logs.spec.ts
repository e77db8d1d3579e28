// Run logs in the console, through the real server and real commands (tests/e2e/support/commands.json,
// named by TICKWORK_COMMANDS in playwright.config.ts): the details modal's Logs tab follows a live
// run, tells stderr apart by label as well as colour, filters and searches, stops following when
// scrolled up, downloads the whole log; 10,000 lines stay windowed; the Runs card shows the newest
// line; the run-job modal lists the commands with their args.
import fs from "node:fs/promises";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { sql } from "./support/db";
import { SAME_ORIGIN, createJobViaApi, expectNoSideScroll, runNowViaApi, signIn, toast, uniqueName } from "./support/console";

const commandJob = (name: string, command: string, args: Record<string, string>) => ({ name, type: "command", params: { command, args }, schedule: { type: "manual" } });

async function statusOf(request: APIRequestContext, id: string): Promise<string> {
  const response = await request.get(`/api/executions/${id}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { status: string }).status;
}

async function cancelViaApi(request: APIRequestContext, id: string) {
  await request.post(`/api/executions/${id}/cancel`, { headers: SAME_ORIGIN });
}

async function openLogs(page: Page, jobId: string, executionId: string) {
  await page.goto(`/jobs/${jobId}?execution=${executionId}`);
  const dialog = page.getByTestId("execution-details");
  await page.getByRole("tab", { name: "Logs" }).click();
  await expect(page.getByRole("tab", { name: "Logs" })).toHaveAttribute("aria-selected", "true");
  return { dialog, logs: dialog.getByTestId("execution-logs"), viewport: dialog.getByTestId("log-viewport") };
}

const lineCount = async (page: Page) => Number(((await page.getByTestId("log-count").textContent()) ?? "").replace(/,/g, "").match(/(\d+) lines/)?.[1] ?? 0);

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test("the Logs tab follows a live run, labels stderr, filters, searches and downloads the whole log", async ({ page }) => {
  test.setTimeout(90_000);
  const job = await createJobViaApi(page.request, commandJob(uniqueName("Printer"), "print-lines", { count: "120", pause: "0.1" }));
  const executionId = await runNowViaApi(page.request, job.id);
  const { dialog, logs, viewport } = await openLogs(page, job.id, executionId);

  // Live: lines arrive while the run is still running, without a reload, and the newest is in view.
  await expect(page.getByTestId("execution-status")).toHaveText(/Running/, { timeout: 20_000 });
  await expect.poll(() => lineCount(page), { timeout: 20_000 }).toBeGreaterThan(5);
  const early = await lineCount(page);
  await expect.poll(() => lineCount(page), { timeout: 20_000 }).toBeGreaterThan(early + 5);
  expect(await statusOf(page.request, executionId)).toBe("RUNNING");
  await expect(viewport).toHaveAttribute("data-following", "true");
  await expect(page.getByTestId("log-count")).toContainText("live");

  await expect(page.getByTestId("execution-status")).toHaveText(/Succeeded/, { timeout: 30_000 });
  await expect(page.getByTestId("log-count")).toHaveText("120 lines");
  // Followed to the end: the last line is on screen.
  await expect(viewport.locator('[data-seq="120"]')).toBeInViewport();
  const stored = await sql<{ count: number }>("SELECT count(*)::int AS count FROM execution_logs WHERE execution_id = $1", [executionId]);
  expect(stored).toEqual([{ count: 120 }]);

  // stderr is set apart by a label (and a mark), not colour alone.
  const problem = viewport.locator('[data-seq="120"]');
  await expect(problem).toHaveAttribute("data-level", "stderr");
  await expect(problem.locator(".log-level")).toHaveText(/stderr/);
  await expect(problem).toContainText("problem 120");

  // Levels: only stderr.
  await logs.getByRole("checkbox", { name: /^stdout/ }).uncheck();
  await expect(page.getByTestId("log-count")).toHaveText("12 of 120 lines");
  expect(await viewport.locator("[data-level]").evaluateAll((rows) => [...new Set(rows.map((row) => row.getAttribute("data-level")))])).toEqual(["stderr"]);
  await logs.getByRole("checkbox", { name: /^stdout/ }).check();

  // Search keeps the lines containing the text and highlights it.
  // Any case: "line 101" to "line 109" (100 and 110 went to stderr as problems).
  await logs.getByLabel("Search").fill("LINE 10");
  await expect(page.getByTestId("log-count")).toHaveText("9 of 120 lines");
  await logs.getByLabel("Search").fill("problem 7");
  await expect(page.getByTestId("log-count")).toHaveText("1 of 120 lines");
  await expect(viewport.locator("[data-seq]")).toHaveText([/problem 70/]);
  await expect(viewport.locator("mark")).toHaveText(["problem 7"]);
  await logs.getByLabel("Search").fill("nothing like this");
  await expect(dialog.getByTestId("log-no-match")).toBeVisible();
  await logs.getByLabel("Search").fill("");
  await expect(page.getByTestId("log-count")).toHaveText("120 lines");

  // The download is the whole log, as the API's text.
  const [download] = await Promise.all([page.waitForEvent("download"), logs.getByTestId("log-download").click()]);
  const text = await fs.readFile(await download.path(), "utf8");
  const lines = text.trimEnd().split("\n");
  expect(lines).toHaveLength(120);
  expect(lines[0]).toMatch(/^\S+Z stdout line 1$/);
  expect(lines[119]).toMatch(/^\S+Z stderr problem 120$/);
  expect(download.suggestedFilename()).toBe(`execution-${executionId}.log`);
});

test("following stops when the reader scrolls up, and Jump to latest resumes it", async ({ page }) => {
  test.setTimeout(90_000);
  const job = await createJobViaApi(page.request, commandJob(uniqueName("Scroller"), "print-lines", { count: "400", pause: "0.05" }));
  const executionId = await runNowViaApi(page.request, job.id);
  try {
    const { viewport } = await openLogs(page, job.id, executionId);
    // More lines than the viewport holds.
    await expect.poll(() => lineCount(page), { timeout: 20_000 }).toBeGreaterThan(60);
    await expect(viewport).toHaveAttribute("data-following", "true");

    await viewport.hover();
    await page.mouse.wheel(0, -600);
    await expect(viewport).toHaveAttribute("data-following", "false");
    await expect(page.getByTestId("log-jump")).toBeVisible();
    // Wheel scrolling may glide for a moment: wait until it has come to rest.
    let top = -1;
    await expect.poll(async () => top === (top = await viewport.evaluate((element) => element.scrollTop))).toBe(true);
    // New lines keep arriving, and the reader is left where they are.
    const paused = await lineCount(page);
    await expect.poll(() => lineCount(page), { timeout: 20_000 }).toBeGreaterThan(paused + 20);
    expect(await viewport.evaluate((element) => element.scrollTop)).toBe(top);
    await expect(page.getByTestId("log-jump")).toContainText(/\(\d+ new\)/);

    await page.getByTestId("log-jump").click();
    await expect(viewport).toHaveAttribute("data-following", "true");
    await expect(viewport).toBeFocused();
    await expect
      .poll(() => viewport.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight), { timeout: 5_000 })
      .toBeLessThanOrEqual(8);
    // The End key follows again too.
    await viewport.hover();
    await page.mouse.wheel(0, -300);
    await expect(viewport).toHaveAttribute("data-following", "false");
    await viewport.focus();
    await page.keyboard.press("End");
    await expect(viewport).toHaveAttribute("data-following", "true");
  } finally {
    await cancelViaApi(page.request, executionId);
  }
});

test("10,000 lines stay windowed: truncated, scrolled end to end, and downloaded whole", async ({ page }) => {
  test.setTimeout(120_000);
  const job = await createJobViaApi(page.request, commandJob(uniqueName("Chatty"), "many-lines", { count: "10050" }));
  const executionId = await runNowViaApi(page.request, job.id);
  await expect.poll(() => statusOf(page.request, executionId), { timeout: 30_000 }).toBe("SUCCEEDED");

  await page.goto(`/jobs/${job.id}?execution=${executionId}`);
  await expect(page.getByTestId("execution-status")).toHaveText(/Succeeded/);
  const started = Date.now();
  await page.getByRole("tab", { name: "Logs" }).click();
  const viewport = page.getByTestId("log-viewport");
  await expect(page.getByTestId("log-count")).toHaveText("10,001 lines", { timeout: 20_000 });
  await expect(viewport.locator('[data-seq="10001"]')).toBeInViewport();
  const loadedMs = Date.now() - started;
  await expect(page.getByTestId("log-truncated")).toBeVisible();
  await expect(viewport.locator('[data-seq="10001"]')).toContainText("Log truncated");
  await expect(viewport.locator('[data-seq="10001"]')).toHaveAttribute("data-level", "warn");

  // Windowed: a few dozen rows in the document, not ten thousand.
  expect(await viewport.locator("[data-seq]").count()).toBeLessThan(100);

  // Scroll from the end to the top and back in 200 steps, one frame each, and time the frames; the
  // same number of frames with nothing to do is the machine's baseline (a busy 2-core machine is slow).
  // Main-thread time spent on script, style and layout while scrolling (Chromium's own counters), per step.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const busy = async () => {
    const { metrics } = await cdp.send("Performance.getMetrics");
    const value = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? 0;
    return { script: value("ScriptDuration"), layout: value("LayoutDuration") + value("RecalcStyleDuration"), task: value("TaskDuration") };
  };
  const before = await busy();
  const frames = await viewport.evaluate(async (element) => {
    const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
    const sorted = (times: number[]) => times.sort((a, b) => a - b);
    const idle: number[] = [];
    let last = await frame();
    for (let index = 0; index < 100; index++) {
      const now = await frame();
      idle.push(now - last);
      last = now;
    }
    // Dragging the scrollbar: 100 jumps of a hundredth of the log (every row new); wheeling: 100 steps of 3 rows.
    const scrolling: number[] = [];
    const wheeling: number[] = [];
    const jump = element.scrollHeight / 100;
    last = await frame();
    for (let index = 0; index < 100; index++) {
      element.scrollTop = element.scrollHeight - (index + 1) * jump;
      const now = await frame();
      scrolling.push(now - last);
      last = now;
    }
    for (let index = 0; index < 100; index++) {
      element.scrollTop += 60;
      const now = await frame();
      wheeling.push(now - last);
      last = now;
    }
    return { idle: sorted(idle), scrolling: sorted(scrolling), wheeling: sorted(wheeling) };
  });
  const after = await busy();
  const perStep = (key: "script" | "layout" | "task") => (((after[key] - before[key]) * 1000) / 200).toFixed(1);
  const pick = (times: number[], at: number) => times[Math.min(times.length - 1, Math.floor(times.length * at))].toFixed(1);
  // Typing a search: from the input event to the count saying the answer, timed in the page.
  const searchMs = await page.getByTestId("execution-logs").getByLabel("Search").evaluate(
    (input: HTMLInputElement) =>
      new Promise<number>((resolve) => {
        const count = document.querySelector('[data-testid="log-count"]')!;
        const started = performance.now();
        const observer = new MutationObserver(() => {
          if (count.textContent?.startsWith("1 of")) {
            observer.disconnect();
            resolve(performance.now() - started);
          }
        });
        observer.observe(count, { childList: true, subtree: true, characterData: true });
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
        setValue.call(input, "many line 9999");
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }),
  );
  await expect(page.getByTestId("log-count")).toHaveText("1 of 10,001 lines");
  const figures =
    `10,001 lines: tab opened to last line shown ${loadedMs} ms (11 reads of 1,000); ` +
    `frames while jumping p50 ${pick(frames.scrolling, 0.5)} ms, p95 ${pick(frames.scrolling, 0.95)} ms, ` +
    `while wheeling p50 ${pick(frames.wheeling, 0.5)} ms, p95 ${pick(frames.wheeling, 0.95)} ms (idle frames p50 ${pick(frames.idle, 0.5)} ms, p95 ${pick(frames.idle, 0.95)} ms); ` +
    `main thread per scrolling frame: ${perStep("task")} ms of tasks, ${perStep("script")} ms script, ${perStep("layout")} ms style and layout; ` +
    `search typed to answer ${searchMs.toFixed(0)} ms`;
  test.info().annotations.push({ type: "measured", description: figures });
  console.log(figures);
  expect(await viewport.locator("[data-seq]").count()).toBeLessThan(100);

  const response = await page.request.get(`/api/executions/${executionId}/logs?format=text`);
  expect((await response.text()).trimEnd().split("\n")).toHaveLength(10_001);
});

test("the Runs page's card shows the newest log line of a running execution", async ({ page }) => {
  const job = await createJobViaApi(page.request, commandJob(uniqueName("Card log"), "print-lines", { count: "300", pause: "0.1" }));
  await page.goto("/runs");
  await expect(page.getByTestId("active-loading")).toHaveCount(0);
  const executionId = await runNowViaApi(page.request, job.id);
  try {
    const card = page.locator(`[data-testid="active-run"][data-execution-id="${executionId}"]`);
    const last = card.getByTestId("run-last-log");
    await expect(last).toContainText(/(line|problem) \d+/, { timeout: 20_000 });
    const first = Number(await last.getAttribute("data-seq"));
    await expect.poll(async () => Number(await last.getAttribute("data-seq")), { timeout: 20_000 }).toBeGreaterThan(first);
    // One line, cut by the card, never wrapping.
    const box = await last.boundingBox();
    expect(box!.height).toBeLessThan(30);
  } finally {
    await cancelViaApi(page.request, executionId);
  }
});

test("run job offers the listed commands with their args; a mismatched arg is refused on params", async ({ page }) => {
  await page.goto("/runs");
  await page.getByTestId("run-job").click();
  const dialog = page.getByRole("dialog", { name: "Run job" });
  await dialog.getByLabel("Handler").selectOption("command");
  const choices = dialog.getByTestId("params-choices");
  await expect(choices.getByTestId("params-choice")).toHaveCount(2);
  const many = choices.locator('[data-value="many-lines"]');
  await expect(many).toContainText("Prints numbered lines as fast as it can");
  await expect(many).toContainText("args.count");
  await expect(many).toContainText("[0-9]{1,6}");
  await expect(choices.locator('[data-value="print-lines"]')).toContainText("Seconds between lines");
  // The defaults are the first command's example.
  await expect(choices.locator('[data-value="print-lines"]')).toContainText("in the params");

  await many.getByRole("button", { name: "Use many-lines" }).click();
  const params = dialog.getByLabel("Params (JSON)");
  await expect(params).toHaveValue(/"command": "many-lines"/);
  await expect(many).toContainText("in the params");

  await params.fill(JSON.stringify({ command: "many-lines", args: { count: "ten" } }));
  await dialog.getByTestId("run-job-submit").click();
  await expect(dialog.locator(".field-errors")).toContainText("must match [0-9]{1,6}");

  await params.fill(JSON.stringify({ command: "many-lines", args: { count: "3" } }));
  await dialog.getByTestId("run-job-submit").click();
  await expect(toast(page, "Queued a command run")).toBeVisible();
});

test("the Logs tab fits 390 px with long lines: they scroll inside the log, not the page", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  const job = await createJobViaApi(page.request, commandJob(uniqueName("Narrow"), "many-lines", { count: "40" }));
  const executionId = await runNowViaApi(page.request, job.id);
  await expect.poll(() => statusOf(page.request, executionId), { timeout: 30_000 }).toBe("SUCCEEDED");
  const { dialog, viewport } = await openLogs(page, job.id, executionId);
  await expect(page.getByTestId("log-count")).toHaveText("40 lines");
  await expectNoSideScroll(page, "the page scrolls sideways with the Logs tab open");
  await expectNoSideScroll(dialog, "the dialog scrolls sideways with the Logs tab open");
  // Arrow keys move between the tabs.
  await page.getByRole("tab", { name: "Logs" }).focus();
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByRole("tab", { name: "Details" })).toBeFocused();
  await expect(page.getByRole("tab", { name: "Details" })).toHaveAttribute("aria-selected", "true");
  await expect(viewport).toBeHidden();
});
