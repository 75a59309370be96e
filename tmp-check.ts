import { loadDemoIfEmpty } from "./src/demo/seed.ts";
import { TEST_PASSWORD } from "./test/support/app.ts";
import { startBrowserTest, loginAs, PHONE } from "./test/support/browser.ts";
const b = await startBrowserTest();
await loadDemoIfEmpty(b.db, { now: b.clock.now(), password: TEST_PASSWORD });
const checks: [string, string[]][] = JSON.parse(process.argv[2]);
for (const [email, paths] of checks) {
  const page = await b.newPage({ viewport: PHONE });
  await loginAs(page, email);
  for (let path of paths) {
    if (path.startsWith("sql:")) { const r = await (await import("kysely")).sql.raw(path.slice(4)).execute(b.db); path = (r.rows[0] as {p: string}).p; }
    await page.goto(path);
    const r = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    console.log(email, path, r, r[0] > r[1] ? "OVERFLOW" : "ok");
    if (process.env.SHOT) await page.screenshot({ path: `/tmp/shot-${path.replace(/\W+/g, "_")}.png`, fullPage: true });
  }
}
await b.close();
