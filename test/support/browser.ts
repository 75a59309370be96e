// Browser tests: the real server on a free port + Debian's Chromium driven by playwright-core
// (never a browser download), and axe on every page visited (ARCHITECTURE: tests).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { loadConfig } from "../../src/core/config.ts";
import type { Database } from "../../src/core/db/index.ts";
import { createApp } from "../../src/app/index.ts";
import type { Clock } from "../../src/core/time.ts";
import { parisInstant } from "../../src/domains/schedule/calendar.ts";
import { TEST_PASSWORD } from "./app.ts";
import { createTestDatabase } from "./db.ts";

export const CHROMIUM_PATH = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const MISSING = `Chromium is missing at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium).`;

/**
 * The `skip` option of a browser test file's describe(): a reason to skip when Chromium is missing
 * on a developer machine; false in CI (CI=true), so that startBrowserTest() fails loudly there
 * instead of hiding the browser tests.
 */
export function skipWithoutChromium(): string | false {
  if (existsSync(CHROMIUM_PATH)) return false;
  if (process.env.CI === "true") return false;
  const reason = `${MISSING} Browser tests skipped (they fail instead when CI=true).`;
  console.warn(reason);
  return reason;
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export interface BrowserTest {
  /** http://127.0.0.1:<port>, no trailing slash. */
  baseUrl: string;
  database: Database;
  db: Database["db"];
  browser: Browser;
  /** The server's clock (default: `browserClock()`); read "now" from it, never from `new Date()`. */
  clock: Clock;
  /** A fresh browser context (own cookies) and page, French locale; closed by close(). */
  newPage(options?: { viewport?: { width: number; height: number }; javaScriptEnabled?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

/** Starts a migrated test database, the app on 127.0.0.1:<free port> and Chromium, for one test file. */
export async function startBrowserTest(options: { clock?: Clock } = {}): Promise<BrowserTest> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${MISSING}${process.env.CI === "true" ? " CI=true: the browser tests must run, so they fail." : ""}`);
  }
  const database = await createTestDatabase();
  const clock = options.clock ?? browserClock();
  // Cookies carry Max-Age (not Expires): the browser keeps them although its clock is the real one.
  const config = { ...loadConfig({ DEV_MAILBOX: "true" }), sessionDays: 1 };
  const app = createApp({ db: database.db, clock, config });
  let server: ReturnType<typeof serve> | undefined;
  let browser: Browser | undefined;
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => resolve(info.port));
      server.once("error", reject);
    });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (error) {
    await browser?.close();
    await closeServer(server);
    await database.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  const launched = browser;
  const baseUrl = `http://127.0.0.1:${port}`;
  // Generated links (QR codes, signing links) point to PUBLIC_URL: here, this server.
  config.publicUrl = baseUrl;
  return {
    baseUrl,
    database,
    db: database.db,
    browser: launched,
    clock,
    async newPage(opts = {}) {
      const context = await launched.newContext({
        viewport: opts.viewport ?? DESKTOP,
        locale: "fr-FR",
        timezoneId: "Europe/Paris",
        javaScriptEnabled: opts.javaScriptEnabled ?? true,
        baseURL: baseUrl,
      });
      contexts.push(context);
      const page = await context.newPage();
      watchCsp(page);
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await launched.close();
      await closeServer(server);
      await database.close();
    },
  };
}

/** The Paris date the browser tests' server believes it is when they start (a Tuesday, no holiday). */
export const BROWSER_TODAY = "2026-03-10";

/**
 * The browser tests' server clock: it reads `BROWSER_TODAY` at 10:00 (Europe/Paris) when the test
 * starts and then runs in real time, so a journey that places a slot "now" never crosses midnight
 * nor a year, whatever the date and hour the suite runs at.
 */
export function browserClock(date = BROWSER_TODAY, at = "10:00"): Clock {
  const offset = parisInstant(date, at).getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

function closeServer(server: ReturnType<typeof serve> | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  // Keep-alive sockets of the browser would hold close() open: drop them.
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  return new Promise((resolve) => server!.close(() => resolve()));
}

/** Content-Security-Policy refusals the browser reported on each page (an inline style, script or handler). */
const cspViolations = new WeakMap<Page, string[]>();
function watchCsp(page: Page) {
  const seen: string[] = [];
  cspViolations.set(page, seen);
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
}

/**
 * Runs axe on the page as it is now and fails listing every "serious" or "critical" violation — and on
 * any Content-Security-Policy refusal the page reported (rule, impact, help, and the offending elements).
 */
export async function checkA11y(page: Page, label = page.url()): Promise<void> {
  // Every page a browser test checks also runs under the CSP without a refusal.
  const refused = cspViolations.get(page)?.splice(0) ?? [];
  assert.deepEqual(refused, [], `the Content-Security-Policy refused something on ${label}`);
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (blocking.length === 0) return;
  const report = blocking
    .map((v) => {
      const nodes = v.nodes.map((n) => `    - ${n.target.join(" ")}: ${n.failureSummary?.replace(/\s+/g, " ") ?? ""}`);
      return [`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`, ...nodes].join("\n");
    })
    .join("\n");
  assert.fail(`axe found ${blocking.length} serious/critical accessibility violation(s) on ${label}:\n${report}`);
}

/** Logs in through the form at /connexion, as a person would, and waits for the next page. */
export async function loginAs(page: Page, email: string, password: string = TEST_PASSWORD): Promise<void> {
  await page.goto("/connexion");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  const answer = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/connexion");
  await page.getByRole("button", { name: "Se connecter" }).click();
  if ((await answer).status() !== 303) {
    const alert = await page.getByRole("alert").first().textContent().catch(() => "");
    throw new Error(`login of ${email} through the form failed: ${alert?.trim()}`);
  }
  await page.waitForURL((url) => url.pathname !== "/connexion");
}
