// `npx tsx scripts/guide-screenshots.ts`: the to-do homes of docs/guide/home.md, as PNGs in
// docs/guide/img/, at desktop (1280 px) and phone (390 px) width. The demo data on the browser
// tests' fixed date (test/support/browser.ts), so the pictures change only when the pages do.
// Each picture is clipped to the header and the to-do list, so it stays small (≤ ~150 kB).
import { statSync } from "node:fs";
import type { Page } from "playwright-core";
import { loadDemoIfEmpty } from "../src/demo/seed.ts";
import { TEST_PASSWORD } from "../test/support/app.ts";
import { DESKTOP, loginAs, PHONE, startBrowserTest } from "../test/support/browser.ts";

const DEMO = "demo.competences-plus.fr";
const HOMES = [
  { file: "home-provider", email: `direction.garonne@${DEMO}` },
  { file: "home-region", email: `region@${DEMO}` },
  { file: "home-prescriber", email: `conseiller.francetravail@${DEMO}` },
  { file: "home-trainee", email: `stagiaire@${DEMO}` },
];
const SIZES = [
  { suffix: "desktop", viewport: DESKTOP, maxHeight: 950 },
  { suffix: "phone", viewport: PHONE, maxHeight: 1450 },
];

/** From the top of the page to the end of the to-do list (or of the main content), at most maxHeight. */
async function shoot(page: Page, path: string, maxHeight: number) {
  const bottom = await page.evaluate(() => {
    const end = document.querySelector("section.todo") ?? document.querySelector("main");
    return Math.ceil((end?.getBoundingClientRect().bottom ?? 800) + window.scrollY + 16);
  });
  const width = page.viewportSize()!.width;
  await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(bottom, maxHeight) } });
}

const b = await startBrowserTest();
try {
  await loadDemoIfEmpty(b.db, { now: b.clock.now(), password: TEST_PASSWORD });
  for (const home of HOMES) {
    for (const size of SIZES) {
      const page = await b.newPage({ viewport: size.viewport });
      await loginAs(page, home.email);
      const file = `docs/guide/img/${home.file}-${size.suffix}.png`;
      await shoot(page, file, size.maxHeight);
      console.log(`${file}: ${Math.round(statSync(file).size / 1024)} kB`);
    }
  }
} finally {
  await b.close();
}
