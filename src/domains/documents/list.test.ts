// Lists that scale (issue 10 point 7, ADR 0030): every certificate the caller sees, in the API and the
// page — search, sort, filters, keyset pages (no row skipped or repeated), scoped by organisation,
// and the CSV export of the same criteria.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { addAttendance, addSlot } from "../ledger/testing.ts";
import { actorOf, register } from "../paths/testing.ts";

describe("certificates list: search, sort, filters, keyset pages, scope, export", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let other: OrderFixture;
  let token: string;
  const ids: string[] = [];
  let replacedId = "";
  before(async () => {
    t = await createTestContext("2026-04-15T09:00:00Z");
    fx = await createOrderFixture(t.db);
    other = await createOrderFixture(t.db);
    token = await t.login(fx.adminEmail);
    // Three trainees of our provider, one certificate each; the first is replaced (version 2).
    for (const lastName of ["Éluard", "Bernard", "Zola"]) {
      const { pathId } = await register(t.db, await actorOf(t.db, fx.adminEmail), fx, { lastName });
      await t.db.updateTable("path").set({ status: "validated" }).where("id", "=", pathId).execute();
      const s = await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-02", modality: "centre", pathIds: [pathId], minutes: 120 });
      await addAttendance(t.db, { slotId: s, pathId, minutes: 120 });
      const res = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-03-01", to: "2026-03-31" });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      ids.push(res.body.id);
      if (lastName === "Éluard") {
        replacedId = res.body.id;
        const v2 = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-03-01", to: "2026-03-31", replaces: res.body.id, reason: "Heures corrigées" });
        assert.equal(v2.status, 201, JSON.stringify(v2.body));
        ids.push(v2.body.id);
      }
    }
    // Another provider's certificate: never in our list.
    const { pathId } = await register(t.db, await actorOf(t.db, other.adminEmail), other, { lastName: "Autre" });
    await t.db.updateTable("path").set({ status: "validated" }).where("id", "=", pathId).execute();
    assert.equal((await t.api("POST", `/api/paths/${pathId}/certificates`, await t.login(other.adminEmail), { from: "2026-03-01", to: "2026-03-31" })).status, 201);
  });
  after(() => t.close());

  const list = async (qs: string, who = token) => t.api("GET", `/api/certificates?${qs}`, who);

  test("API: keyset pages of 2 walk every certificate once, another provider's never appear", async () => {
    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const res = await list(`sort=name&limit=2${next ? `&after=${encodeURIComponent(next)}` : ""}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      seen.push(...res.body.items.map((i: { id: string }) => i.id));
      next = res.body.next;
      pages++;
    } while (next && pages < 10);
    assert.equal(pages, 2);
    assert.deepEqual([...seen].sort(), [...ids].sort(), "every certificate of ours once, none of the other provider");
    const names = (await list("sort=name")).body.items.map((i: { traineeLastName: string }) => i.traineeLastName);
    assert.deepEqual(names, ["Bernard", "Éluard", "Éluard", "Zola"], "name order folds accents (« Éluard » with E)");
  });

  test("API: search folds case and accents; state, order and year filter; bad input is a 400, never a 500", async () => {
    const found = await list("q=eluard");
    assert.deepEqual(found.body.items.map((i: { version: number }) => i.version).sort(), [1, 2]);
    const inForce = await list("state=in_force");
    assert.equal(inForce.body.items.length, 3);
    assert.ok(!inForce.body.items.some((i: { id: string }) => i.id === replacedId));
    const replaced = await list("state=replaced");
    assert.deepEqual(replaced.body.items.map((i: { id: string; inForce: boolean }) => [i.id, i.inForce]), [[replacedId, false]]);
    assert.equal((await list(`orderId=${other.orderId}`)).body.items.length, 0, "filtering on another provider's order shows nothing of theirs");
    assert.equal((await list(`orderId=${fx.orderId}&year=2026`)).body.items.length, 4);
    assert.equal((await list("year=2025")).body.items.length, 0);
    for (const bad of ["sort=nope", "limit=0", "after=abc", `q=${"x".repeat(101)}`, "state=perdu", "orderId=1"]) {
      const res = await list(bad);
      assert.equal(res.status, 400, `${bad}: ${res.status}`);
    }
    const otherCursor = (await list("sort=issued&limit=1")).body.next;
    assert.equal((await list(`sort=name&after=${encodeURIComponent(otherCursor)}`)).body.code, "INVALID_CURSOR");
  });

  test("page /certificats: the criteria stay in the URL and the form; « Page suivante » carries them; a stale cursor goes back to page 1 with a message", async () => {
    const page = await t.pageSession(fx.adminEmail);
    const first = await page.get("/certificats?q=a&sort=name&limit=2");
    assert.equal(first.status, 200);
    assert.match(first.html, /<input id="f-q" name="q" type="search" maxlength="100" value="a"/);
    assert.match(first.html, /<option value="name" selected="">Stagiaire/);
    const next = /href="(\/certificats\?[^"]*after=[^"]+)"/.exec(first.html)?.[1]?.replace(/&amp;/g, "&");
    assert.ok(next, "a « Page suivante » link");
    assert.match(next!, /q=a/);
    assert.match(next!, /sort=name/);
    const second = await page.get(next!);
    assert.match(second.html, /Première page/);
    assert.match(second.html, /ZOLA/);
    const stale = await page.get("/certificats?after=abc");
    assert.equal(stale.status, 200);
    assert.match(stale.html, /retour à la première page/);
    const theirs = await (await t.pageSession(other.adminEmail)).get("/certificats");
    assert.doesNotMatch(theirs.html, /ZOLA|BERNARD/);
  });

  test("export: the CSV holds every page of the criteria, French headers, for French Excel", async () => {
    const res = await t.app.request("/certificats/export.csv?state=in_force&sort=name", { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/csv/);
    const text = (await res.text()).replace(/^\uFEFF/, "");
    const lines = text.trim().split("\r\n");
    assert.equal(lines[0], "Nom;Prénom;Composante;Commande;Début de période;Fin de période;Version;État;Émis le;Code de vérification");
    assert.deepEqual(lines.slice(1).map((l) => l.split(";")[0]), ["Bernard", "Éluard", "Zola"]);
  });
});
