// Issue 10, point 9 — the public side, over HTTP on the demo dataset: every public page's footer
// links to the accessibility statement, the legal notice and the personal-data page, which answer
// 200 without login; every form collecting a person's data carries the notice; every published
// session open to direct application links to its form.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, TEST_PASSWORD, type TestContext } from "../support/app.ts";
import { loadDemoIfEmpty } from "../../src/demo/seed.ts";

const NOW = "2026-11-30T09:30:00Z";
const FOOTER = [
  ["/accessibilite", /Accessibilité : (non|partiellement|totalement) conforme/],
  ["/mentions-legales", /Mentions légales/],
  ["/donnees-personnelles", /Données personnelles/],
] as const;
const NOTICE = /data-notice="donnees-personnelles"[\s\S]*?Finalité[\s\S]*?Base légale[\s\S]*?Conservation[\s\S]*?rectifier[\s\S]*?auprès de/;

describe("public side (issue 10, point 9)", () => {
  let t: TestContext;
  let open: { id: string }[];
  const get = async (path: string) => {
    const res = await t.app.request(path);
    return { status: res.status, html: await res.text() };
  };

  before(async () => {
    t = await createTestContext(NOW);
    await loadDemoIfEmpty(t.db, { now: new Date(NOW), password: TEST_PASSWORD });
    open = await t.db
      .selectFrom("session as s")
      .innerJoin("order_line as l", "l.id", "s.order_line_id")
      .innerJoin("component as k", "k.id", "l.component_id")
      .select("s.id")
      .where("s.published_at", "is not", null)
      .where("s.recruitment_open", "=", true)
      .where("k.e_formation", "=", true)
      .execute();
  });
  after(() => t?.close());

  test("each public page's footer links to the three pages, which answer 200 without login", async () => {
    const catalogue = await get("/catalogue");
    const sessions = [...catalogue.html.matchAll(/href="(\/catalogue\/sessions\/[^"]+)"/g)].map((m) => m[1]).slice(0, 3);
    assert.ok(sessions.length > 0, "the catalogue lists sessions");
    const pages = ["/connexion", "/catalogue", ...sessions, ...open.slice(0, 2).map((s) => `/candidater/${s.id}`), "/mot-de-passe-oublie", ...FOOTER.map(([href]) => href)];
    for (const page of pages) {
      const { status, html } = await get(page);
      assert.equal(status, 200, page);
      const footer = html.slice(html.indexOf('<footer class="site-footer">'));
      for (const [href, label] of FOOTER) assert.match(footer, new RegExp(`<a href="${href}">[^<]*${label.source}`), `${page}: footer link to ${href}`);
    }
    const statement = await get("/accessibilite");
    assert.match(statement.html, /RGAA/);
    assert.match(statement.html, /Ce qui a été vérifié/);
    assert.match(statement.html, /axe-core/);
    const data = await get("/donnees-personnelles");
    for (const word of ["Finalités et bases légales", "Durée de conservation", "Vos droits", "Contact", "CNIL"]) assert.ok(data.html.includes(word), word);
  });

  test("every published e-formation session open to recruitment links to its form, from the catalogue and its page", async () => {
    assert.ok(open.length > 0, "the demo has sessions open to direct application");
    const catalogue = (await get("/catalogue?from=2000-01-01")).html;
    for (const s of open) {
      const page = await get(`/catalogue/sessions/${s.id}`);
      assert.equal(page.status, 200);
      assert.ok(page.html.includes(`href="/candidater/${s.id}"`), `session ${s.id} links to its form`);
      assert.ok(catalogue.includes(`href="/candidater/${s.id}"`), `the catalogue links session ${s.id} to its form`);
      assert.equal((await get(`/candidater/${s.id}`)).status, 200);
    }
  });

  test("every form collecting personal data carries the personal-data notice (public and staff forms)", async () => {
    const form = await get(`/candidater/${open[0].id}`);
    assert.ok(/name="birthDate"/.test(form.html));
    assert.ok(NOTICE.test(form.html), "public application form");
    const staff = await t.pageSession("direction.garonne@demo.competences-plus.fr");
    for (const path of ["/candidatures/nouvelle", "/stagiaires/nouveau"]) {
      const page = await staff.get(path);
      assert.equal(page.status, 200, path);
      assert.ok(/name="birthDate"/.test(page.html), `${path} collects personal data`);
      assert.ok(NOTICE.test(page.html), `${path} carries the notice`);
    }
  });
});
