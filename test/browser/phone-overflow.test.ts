// Staff pages fit a phone (issue 10, point 4): signed in as each demo account's role, a crawl of the
// same-origin links at 390 px finds no page that scrolls sideways (wide tables scroll in their own
// box), axe clean; the main navigation folds into a « Menu » button that opens without JavaScript
// and by keyboard; the public certificate check wraps its long hash.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { navFor } from "../../src/core/pages/layout.tsx";
import { loadDemoIfEmpty } from "../../src/demo/seed.ts";
import { TEST_PASSWORD } from "../support/app.ts";
import { type BrowserTest, checkA11y, DESKTOP, loginAs, PHONE, skipWithoutChromium, startBrowserTest } from "../support/browser.ts";

const DEMO = "demo.competences-plus.fr";
/** One account per role of the demo (src/demo/organisations.ts); the pedagogical referent sees the administrative one's pages. */
const ROLES = [
  { role: "Région", email: `region@${DEMO}` },
  { role: "référent administratif", email: `direction.garonne@${DEMO}` },
  { role: "formateur", email: `formateur.garonne@${DEMO}` },
  { role: "prescripteur", email: `conseiller.francetravail@${DEMO}` },
  { role: "stagiaire", email: `stagiaire@${DEMO}` },
  { role: "expert AMI", email: `expert.bizness@${DEMO}` },
  { role: "personnel d'un site d'accès", email: `accueil.cahors@${DEMO}` },
];
/** Bound of the crawl: pages per role, one per route shape (ids folded). */
const MAX_PAGES = 40;
/** Not pages: files, feeds, the API, and links that end the session. */
const SKIP = /^\/(api|static|deconnexion|boite-mail)(\/|$)|\.(pdf|csv|xlsx|ics|json|jwt|zip|xml|png|svg|txt)$|\/(export|telecharger|pdf|csv|xlsx|ics|cv|preuve)(\/|$)/i;

/** The route shape of a path: ids and numbers become ":id", so one shape is crawled only a few times. */
const shapeOf = (path: string) =>
  path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ":id").replace(/\/\d+(?=\/|$)/g, "/:n").replace(/\/[A-Za-z0-9_-]{20,}(?=\/|$)/g, "/:token");

/** The elements sticking out on the right of the viewport, for the failure message. */
const widerThanScreen = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const box = el.getBoundingClientRect();
      if (box.right <= width + 0.5 || box.width === 0) continue;
      // Only the outermost culprit of each branch (its children stick out with it).
      if (el.parentElement && el.parentElement.getBoundingClientRect().right > width + 0.5 && el.parentElement !== document.body) continue;
      const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") + (el.className && typeof el.className === "string" ? `.${el.className.trim().split(/\s+/).join(".")}` : "");
      out.push(`${name} (${Math.round(box.right)} px): ${(el.textContent ?? "").trim().slice(0, 60)}`);
      if (out.length >= 5) break;
    }
    return [`scrollWidth ${document.documentElement.scrollWidth} > ${width}`, ...out];
  });

describe("browser: every page fits a 390 px phone, the menu opens without JavaScript (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  /** Route shapes already checked by axe (once for every role: the crawl is long enough). */
  const axed = new Set<string>();
  before(async () => {
    b = await startBrowserTest();
    await loadDemoIfEmpty(b.db, { now: b.clock.now(), password: TEST_PASSWORD });
  });
  after(() => b?.close());

  for (const { role, email } of ROLES) {
    test(`no page scrolls sideways at 390 px, crawled as ${role} (issue 10, point 4)`, async () => {
      const page = await b.newPage({ viewport: PHONE });
      await loginAs(page, email);
      const origin = new URL(b.baseUrl).origin;
      const queue = ["/"];
      const seen = new Set(queue);
      const shapes = new Set<string>();
      const failures: string[] = [];
      while (queue.length > 0 && shapes.size < MAX_PAGES) {
        const path = queue.shift()!;
        const shape = shapeOf(new URL(path, origin).pathname);
        if (shapes.has(shape)) continue;
        shapes.add(shape);
        const res = await page.goto(path);
        if (!res || !(res.headers()["content-type"] ?? "").includes("text/html")) continue;
        if (new URL(page.url()).pathname === "/connexion") assert.fail(`the crawl lost the session at ${path}`);
        const wide = await widerThanScreen(page);
        if (wide.length > 0) failures.push(`${path}\n    ${wide.join("\n    ")}`);
        if (!axed.has(shape)) {
          axed.add(shape);
          await checkA11y(page, `${path} (${role}, téléphone)`).catch((e: Error) => failures.push(e.message));
        }
        const links = await page.evaluate(() => Array.from(document.querySelectorAll("a[href]"), (a) => (a as HTMLAnchorElement).href));
        for (const href of links) {
          const url = new URL(href);
          if (url.origin !== origin || SKIP.test(url.pathname)) continue;
          const next = url.pathname + url.search;
          if (seen.has(next)) continue;
          seen.add(next);
          queue.push(next);
        }
      }
      assert.ok(shapes.size >= 4, `the crawl as ${role} reached only ${shapes.size} page(s)`);
      assert.deepEqual(failures, [], `pages wider than a 390 px phone, as ${role}:\n${failures.join("\n")}`);
    });
  }

  test("without JavaScript, the phone's « Menu » opens the main navigation by keyboard; a desktop shows the full list (issue 10, point 4)", { timeout: 180_000 }, async () => {
    const phone = await b.newPage({ viewport: PHONE, javaScriptEnabled: false });
    await loginAs(phone, `region@${DEMO}`);
    const nav = phone.getByRole("navigation", { name: "Navigation principale" });
    const menu = nav.locator("summary", { hasText: "Menu" });
    assert.equal(await menu.isVisible(), true, "the Menu button shows on a phone");
    assert.equal(await nav.getByRole("link", { name: "Commandes" }).count(), 0, "the links stay folded (hidden) until the menu opens");
    await menu.focus();
    await phone.keyboard.press("Enter");
    await nav.getByRole("link", { name: "Commandes" }).waitFor();
    await phone.keyboard.press("Tab");
    assert.equal(await phone.evaluate(() => document.activeElement?.textContent?.trim()), "Accueil", "Tab goes from the menu into its links");
    assert.equal(await overflows(phone), false);
    // axe runs inside the page: with JavaScript disabled its evaluate() never settles (the step used to
    // hang there). The same server-rendered page, menu opened, is checked in a context with JavaScript.
    const withJs = await b.newPage({ viewport: PHONE });
    await loginAs(withJs, `region@${DEMO}`);
    await withJs.getByRole("navigation", { name: "Navigation principale" }).locator("summary", { hasText: "Menu" }).click();
    await checkA11y(withJs, "/ (menu ouvert, téléphone)");
    await Promise.all([phone.waitForURL((u) => u.pathname === "/commandes"), nav.getByRole("link", { name: "Commandes" }).click()]);
    assert.equal(await nav.getByRole("link", { name: "Commandes" }).count(), 0, "the menu starts folded on the next page");

    const desk = await b.newPage({ viewport: DESKTOP });
    await loginAs(desk, `region@${DEMO}`);
    const full = desk.getByRole("navigation", { name: "Navigation principale" });
    assert.equal(await full.locator("summary").isVisible(), false, "no Menu button on a desktop");
    assert.equal(await full.getByRole("link", { name: "Commandes" }).isVisible(), true);
    const regionLinks = navFor({ role: "region_officer" } as Parameters<typeof navFor>[0]).length;
    assert.equal(await full.getByRole("link").count(), regionLinks, "each link once (the folded copy is not displayed)");
  });

  test("a wide table scrolls inside its own labelled, focusable box with its first column in view (issue 10, point 4)", { timeout: 180_000 }, async () => {
    const phone = await b.newPage({ viewport: PHONE });
    await loginAs(phone, `region@${DEMO}`);
    await phone.goto("/sessions");
    const box = phone.getByRole("region", { name: /^Sessions/ });
    const sizes = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, tab: el.tabIndex }));
    assert.ok(sizes.scroll > sizes.client, "the sessions table is wider than the phone: it scrolls in its box");
    assert.equal(sizes.tab, 0);
    await phone.waitForLoadState("load"); // no script moves the focus after ours
    await box.focus();
    await phone.keyboard.press("ArrowRight");
    await phone.keyboard.press("ArrowRight");
    // Keyboard scrolling lands on a later frame: wait for it (a loaded machine is slow to paint), never assume it.
    await phone.waitForFunction((el) => (el as HTMLElement).scrollLeft > 0, await box.elementHandle(), { timeout: 5000 }).catch(() => {});
    const after = await box.evaluate((el) => {
      const first = el.querySelector("tbody tr > :first-child")!.getBoundingClientRect();
      return { scrolled: el.scrollLeft, firstLeft: Math.round(first.left - el.getBoundingClientRect().left) };
    });
    assert.ok(after.scrolled > 0, "the arrow keys scroll the focused box");
    assert.equal(after.firstLeft, 0, "the first column stays at the left edge");
    assert.equal(await overflows(phone), false);
  });

  test("the public certificate check wraps its long code and hash on a phone (issue 10, point 4)", { timeout: 180_000 }, async () => {
    const staff = await b.newPage();
    await loginAs(staff, `direction.garonne@${DEMO}`);
    const path = await b.db
      .selectFrom("path")
      .innerJoin("provider", "provider.id", "path.provider_id")
      .select("path.id")
      .where("path.status", "!=", "draft")
      .where("provider.name", "like", "%Garonne%")
      .orderBy("path.entry_date")
      .executeTakeFirstOrThrow();
    await staff.goto(`/parcours/${path.id}/certificats`);
    await staff.getByRole("button", { name: /Émettre le certificat/ }).click();
    const link = staff.locator('a[href^="/verifier/"]').first();
    const href = (await link.getAttribute("href"))!;
    const phone = await b.newPage({ viewport: PHONE });
    await phone.goto(href);
    await phone.getByText("Certificat authentique").waitFor();
    assert.deepEqual(await widerThanScreen(phone), [], "the genuine certificate's page");
    await checkA11y(phone, "/verifier/:code (téléphone)");
    assert.equal((await phone.goto(`/verifier/${"f".repeat(64)}`))?.status(), 404);
    assert.deepEqual(await widerThanScreen(phone), [], "an unknown 64-character code");
  });
});

const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
