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
import { createApp } from "../../src/core/http/app.tsx";
import { systemClock, type Clock } from "../../src/core/time.ts";
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
  // The system clock by default: the browser drops cookies whose expiry lies before the real now.
  const app = createApp({ db: database.db, clock: options.clock ?? systemClock, config: { ...loadConfig({}), sessionDays: 1 } });
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
  return {
    baseUrl,
    database,
    db: database.db,
    browser: launched,
    async newPage(opts = {}) {
      const context = await launched.newContext({
        viewport: opts.viewport ?? DESKTOP,
        locale: "fr-FR",
        timezoneId: "Europe/Paris",
        javaScriptEnabled: opts.javaScriptEnabled ?? true,
        baseURL: baseUrl,
      });
      contexts.push(context);
      return context.newPage();
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await launched.close();
      await closeServer(server);
      await database.close();
    },
  };
}

function closeServer(server: ReturnType<typeof serve> | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  // Keep-alive sockets of the browser would hold close() open: drop them.
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  return new Promise((resolve) => server!.close(() => resolve()));
}

/**
 * Runs axe on the page as it is now and fails listing every "serious" or "critical" violation
 * (rule, impact, help, and the offending elements).
 */
export async function checkA11y(page: Page, label = page.url()): Promise<void> {
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
