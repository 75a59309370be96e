// Errors you can't miss (issue 10, point 2), over HTTP: the summary at the top (announced, focused,
// each item a link to its field), each message once, input and radio choices kept, no 404 on
// reload of a refused form's URL, and a form posted after the session expired kept across sign-in.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, formLogin, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { newId } from "../time.ts";

describe("errors you can't miss (issue 10, point 2)", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let requestId = "";
  before(async () => {
    t = await createTestContext();
    fx = await createOrderFixture(t.db);
    requestId = newId();
    await t.db
      .insertInto("change_request")
      .values({ id: requestId, provider_id: fx.providerId, order_id: null, kind: "contacts", payload: JSON.stringify({}), reason: "Nouveau contact", filed_by: fx.referentId, filed_at: new Date() })
      .execute();
  });
  after(() => t.close());

  test("a refused save opens on a focused error summary whose items link to their field; the message is next to the field; the choices are kept", async () => {
    const s = await t.pageSession(fx.regionEmail);
    const r = await s.post("/prescripteurs", { name: "", kind: "mission_locale" });
    assert.equal(r.status, 422);
    const summary = /<div class="alert error error-summary" role="alert" tabindex="-1" autofocus="">([\s\S]*?)<\/div>/.exec(r.html);
    assert.ok(summary, "error summary at the top, announced and focused");
    assert.match(summary[1], /<a href="#f-name">/);
    assert.match(r.html, /id="f-name"[^>]*aria-invalid="true"/);
    assert.match(r.html, /<p class="field-error" id="f-name-err">/);
    assert.match(r.html, /<option value="mission_locale" selected="">/);
    assert.doesNotMatch(r.html, /sont respectées/);
  });

  test("a refused decision keeps its radio choice and typed text; the violation appears once in the summary, linked to the field", async () => {
    const s = await t.pageSession(fx.regionEmail);
    const r = await s.post(`/demandes/${requestId}/decision`, { decision: "refused", reason: "" });
    assert.equal(r.status, 422);
    assert.match(r.html, /id="d-refused" name="decision" value="refused" checked=""/);
    assert.doesNotMatch(r.html, /id="d-accepted"[^>]*checked/);
    assert.equal([...r.html.matchAll(/data-code="CP-MODIFICATION-REQUESTS"/g)].length, 1);
    assert.match(r.html, /<a href="#f-reason">Motivez le refus/);
    assert.match(r.html, /id="f-reason-err"/);
    assert.doesNotMatch(r.html, /Toutes les règles/);
  });

  test("the URL of a refused form, reloaded or reached by the back button (GET), is never a 404: it leads to the object's page", async () => {
    const s = await t.pageSession(fx.regionEmail);
    const r = await s.get(`/demandes/${requestId}/decision`);
    assert.equal(r.status, 303);
    assert.equal(r.location, `/demandes/${requestId}`);
    assert.equal((await s.get(r.location ?? "")).status, 200);
    assert.equal((await s.get("/page-qui-n-existe-pas")).status, 404);
  });

  test("a form posted after the session expired keeps what was typed and is sent again after sign-in (same-origin path, no token kept)", async () => {
    const expired = await t.app.request("/prescripteurs", {
      method: "POST",
      body: new URLSearchParams({ _csrf: "ancien-jeton", name: "Mission locale de Millau", kind: "mission_locale" }),
      headers: { cookie: "cp_session=session-expiree", "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(expired.status, 401);
    const page = await expired.text();
    const kept = /name="reprise" value="([^"]+)"/.exec(page)?.[1]?.replaceAll("&quot;", '"');
    assert.ok(kept);
    assert.deepEqual(JSON.parse(kept), [["name", "Mission locale de Millau"], ["kind", "mission_locale"]]);
    assert.match(page, /name="suite" value="\/prescripteurs"/);
    const { res } = await formLogin(t.app, fx.regionEmail, undefined, { suite: "/prescripteurs", reprise: kept });
    assert.equal(res.status, 200);
    const resume = await res.text();
    assert.match(resume, /<form method="post" action="\/prescripteurs">/);
    assert.match(resume, /name="name" value="Mission locale de Millau"/);
    assert.match(resume, /name="_csrf" value="[^"]{20,}"/);
    assert.doesNotMatch(resume, /ancien-jeton/);
    // Off-site destinations are refused: the kept form goes nowhere but this site's paths.
    const off = await formLogin(t.app, fx.regionEmail, undefined, { suite: "//evil.example/x", reprise: kept });
    assert.equal(off.res.status, 303);
    assert.equal(off.res.headers.get("location"), "/");
  });
});
