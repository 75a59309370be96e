import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { meetingBody, sessionBody } from "./testing.ts";

describe("public catalogue (no login): filters by département, category and date", () => {
  let t: TestContext;
  let toulouse: OrderFixture;
  let albi: OrderFixture;
  let online: OrderFixture;
  const ids: Record<string, string> = {};
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    toulouse = await createOrderFixture(t.db);
    albi = await createOrderFixture(t.db);
    online = await createOrderFixture(t.db, { eFormation: true });
    await t.db.updateTable("site").set({ departement_code: "81", commune: "Albi", postcode: "81000" }).where("id", "=", albi.siteId).execute();
    await t.db.updateTable("component").set({ category: "regulatory", title: "CACES R489" }).where("id", "=", albi.componentId).execute();
    const publish = async (f: OrderFixture, key: string, siteId: string | null, over: Record<string, unknown> = {}) => {
      const token = await t.login(f.adminEmail);
      const s = await t.api("POST", "/api/sessions", token, sessionBody(f.orderLineId, siteId, over));
      assert.equal(s.status, 201, JSON.stringify(s.body));
      await t.api("POST", `/api/sessions/${s.body.id}/publish`, token);
      ids[key] = s.body.id;
      return token;
    };
    const tokenT = await publish(toulouse, "toulouse", toulouse.siteId);
    await publish(albi, "albi", albi.siteId, { startDate: "2026-05-04", endDate: "2026-07-31", recruitmentEnd: null });
    await publish(online, "online", null);
    // Started before today: no longer "upcoming".
    await publish(toulouse, "started", toulouse.siteId, { startDate: "2026-02-02", recruitmentStart: null, recruitmentEnd: null });
    const draft = await t.api("POST", "/api/sessions", tokenT, sessionBody(toulouse.orderLineId, toulouse.siteId));
    ids.draft = draft.body.id;
    const m = await t.api("POST", "/api/info-meetings", tokenT, meetingBody(toulouse.orderLineId, toulouse.siteId, { meetingDate: "2026-03-09" }));
    await t.api("POST", `/api/info-meetings/${m.body.id}/publish`, tokenT);
  });
  after(() => t.close());

  const listed = async (query = "") => {
    const res = await t.api("GET", `/api/catalogue${query}`);
    assert.equal(res.status, 200);
    return (res.body.sessions as { id: string }[]).map((s) => s.id);
  };

  test("anonymous visitors see upcoming published sessions only (no drafts, none already started)", async () => {
    const all = await listed();
    assert.deepEqual(new Set(all), new Set([ids.toulouse, ids.albi, ids.online]));
    const page = await t.app.request("/catalogue");
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /CACES R489/);
    assert.match(html, /<label for="f-departement">/);
  });

  test("département filter: sessions there, plus distance sessions reachable from everywhere", async () => {
    assert.deepEqual(new Set(await listed("?departement=81")), new Set([ids.albi, ids.online]));
    assert.deepEqual(new Set(await listed("?departement=31")), new Set([ids.toulouse, ids.online]));
  });

  test("category filter", async () => {
    assert.deepEqual(await listed("?category=regulatory"), [ids.albi]);
  });

  test("date filter: sessions starting on or after the date (boundary day included)", async () => {
    assert.deepEqual(await listed("?from=2026-05-04"), [ids.albi]);
    assert.deepEqual(await listed("?from=2026-05-05"), []);
  });

  test("information meetings are listed with the sessions and filtered the same way", async () => {
    const res = await t.api("GET", "/api/catalogue?departement=31");
    assert.equal(res.body.meetings.length, 1);
    assert.equal((await t.api("GET", "/api/catalogue?departement=81")).body.meetings.length, 0);
  });

  test("CP-OFFER-INFO: the session page shows prerequisites, content, purpose and certification; drafts are not found", async () => {
    await t.db.updateTable("component").set({ prerequisites: "Savoir lire.", content: "Conduite de chariot.", purpose: "Obtenir le CACES.", certification_code: "RS5637" }).where("id", "=", albi.componentId).execute();
    const html = await (await t.app.request(`/catalogue/sessions/${ids.albi}`)).text();
    for (const text of ["Savoir lire.", "Conduite de chariot.", "Obtenir le CACES.", "RS5637"]) assert.ok(html.includes(text), text);
    assert.equal((await t.app.request(`/catalogue/sessions/${ids.draft}`)).status, 404);
    assert.equal((await t.app.request("/catalogue/sessions/pas-un-id")).status, 404);
  });

  test("the login page links to the catalogue", async () => {
    const html = await (await t.app.request("/connexion")).text();
    assert.match(html, /href="\/catalogue"/);
  });
});
