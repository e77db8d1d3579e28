// Helpers for the audit and settings specs: a second signed-in browser, and the phone-width check.
import { expect, type Browser, type Page } from "@playwright/test";
import { signIn, type Credentials } from "./console";

/** A fresh browser context (its own cookies) signed in as someone else. */
export async function signedInPage(browser: Browser, user: Credentials): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user);
  return page;
}

/** The page fits the viewport's width: nothing makes it scroll sideways. */
export async function expectNoSideScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

export const unique = () => crypto.randomUUID().slice(0, 8);
