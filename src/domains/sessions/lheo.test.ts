import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { XmlDocument, XsdValidator } from "libxml2-wasm";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { meetingBody, sessionBody } from "./testing.ts";

// The official schema, kept in the repository with its source and licence (schemas/README.md).
const XSD = readFileSync(new URL("../../../schemas/lheo-2.3.xsd", import.meta.url), "utf8");

/** Validates against lheo-2.3.xsd; returns the error text ("" when valid). */
function xsdErrors(xml: string): string {
  const schema = XmlDocument.fromString(XSD);
  const validator = XsdValidator.fromDoc(schema);
  const doc = XmlDocument.fromString(xml);
  try {
    validator.validate(doc);
    return "";
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    doc.dispose();
    validator.dispose();
    schema.dispose();
  }
}

const count = (xml: string, tag: string) => (xml.match(new RegExp(`<${tag}[ >]`, "g")) ?? []).length;

describe("LHEO 2.3 export, validated against schemas/lheo-2.3.xsd", () => {
  let t: TestContext;
  let a: OrderFixture;
  let e: OrderFixture;
  let tokenA: string;
  let tokenE: string;
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    a = await createOrderFixture(t.db);
    e = await createOrderFixture(t.db, { eFormation: true });
    tokenA = await t.login(a.adminEmail);
    tokenE = await t.login(e.adminEmail);
  });
  after(() => t.close());

  test("the validator really checks: a document missing required elements is refused", () => {
    assert.notEqual(xsdErrors('<lheo xmlns="http://lheo.gouv.fr/2.3"><offres/></lheo>'), "");
  });

  test("no published session: the public feed answers 404 NO_SESSIONS (LHEO needs one formation)", async () => {
    await t.api("POST", "/api/sessions", tokenA, sessionBody(a.orderLineId, a.siteId)); // a draft only
    const res = await t.app.request("/api/lheo/offre.xml");
    assert.equal(res.status, 404);
    assert.equal((await res.json()).code, "NO_SESSIONS");
  });

  test("a component without level: valid, no code-niveau-sortie; financer 2, AAAAMMJJ dates, no fee; drafts stay out", async () => {
    const s = await t.api("POST", "/api/sessions", tokenA, sessionBody(a.orderLineId, a.siteId));
    await t.api("POST", `/api/sessions/${s.body.id}/publish`, tokenA);
    const m = await t.api("POST", "/api/info-meetings", tokenA, meetingBody(a.orderLineId, a.siteId, { meetingDate: "2026-03-10" }));
    await t.api("POST", `/api/info-meetings/${m.body.id}/publish`, tokenA);
    const res = await t.app.request("/api/lheo/offre.xml");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /application\/xml/);
    const xml = await res.text();
    assert.equal(xsdErrors(xml), "");
    assert.equal(count(xml, "session"), 1, "the draft session is not in the public feed");
    assert.equal(count(xml, "code-niveau-sortie"), 0);
    assert.match(xml, /<code-financeur>2<\/code-financeur>/);
    assert.match(xml, /<debut>20260316<\/debut>\s*<fin>20260630<\/fin>/);
    assert.match(xml, /<periode-inscription>\s*<periode>\s*<debut>20260215<\/debut>\s*<fin>20260313<\/fin>/);
    assert.match(xml, /<date-information>\s*<date>20260310<\/date>/);
    assert.match(xml, /<frais-restants>0<\/frais-restants>/);
    assert.match(xml, /<etat-recrutement>1<\/etat-recrutement>/);
  });

  test("CP-LEVELS-2019: a level-4 certifying component goes out as code 14 with its certification (CP-OFFER-INFO)", async () => {
    await t.db
      .updateTable("component")
      .set({ level_2019: 4, certification_code: "RNCP37274", prerequisites: "Lire et écrire le français.", content: "Grammaire, oral, écrit professionnel.", purpose: "Atteindre le niveau B1." })
      .where("id", "=", a.componentId)
      .execute();
    const xml = await (await t.app.request("/api/lheo/offre.xml")).text();
    assert.equal(xsdErrors(xml), "");
    assert.match(xml, /<code-niveau-sortie>14<\/code-niveau-sortie>/);
    assert.match(xml, /<certifiante>1<\/certifiante>/);
    assert.match(xml, /<code-RNCP>37274<\/code-RNCP>/);
    assert.match(xml, /<conditions-specifiques>Lire et écrire le français.<\/conditions-specifiques>/);
    assert.match(xml, /<contenu-formation>Grammaire, oral, écrit professionnel.<\/contenu-formation>/);
  });

  test("an e-formation session without a site: valid, registration address from the order line's site", async () => {
    const s = await t.api("POST", "/api/sessions", tokenE, sessionBody(e.orderLineId, null, { recruitmentStart: null, recruitmentEnd: null, recruitmentOpen: false }));
    assert.equal(s.status, 201, JSON.stringify(s.body));
    await t.api("POST", `/api/sessions/${s.body.id}/publish`, tokenE);
    const res = await t.app.request("/api/sessions/lheo.xml", { headers: { authorization: `Bearer ${tokenE}` } });
    assert.equal(res.status, 200);
    const xml = await res.text();
    assert.equal(xsdErrors(xml), "");
    assert.equal(count(xml, "session"), 1, "a provider downloads only its own offer");
    assert.match(xml, /<adresse-inscription>\s*<adresse>/);
    assert.match(xml, /<etat-recrutement>2<\/etat-recrutement>/);
    assert.doesNotMatch(xml, /<periode-inscription>/);
  });

  test("the Region downloads every provider's offer; the public feed too; both valid", async () => {
    const region = await t.login(a.regionEmail);
    for (const init of [{ headers: { authorization: `Bearer ${region}` } }, undefined]) {
      const xml = await (await t.app.request(init ? "/api/sessions/lheo.xml" : "/api/lheo/offre.xml", init)).text();
      assert.equal(xsdErrors(xml), "");
      assert.equal(count(xml, "formation"), 2);
      assert.equal(count(xml, "session"), 2);
    }
    // The page download (cookie session) serves the same document.
    const page = await (await t.pageSession(a.regionEmail)).get("/sessions/offre-lheo.xml");
    assert.equal(page.status, 200);
    assert.equal(xsdErrors(page.html), "");
  });

  test("text longer than the XSD allows is cut, special characters escaped: still valid", async () => {
    await t.db.updateTable("component").set({ title: `Anglais & "métiers" <pro> ${"x".repeat(300)}`, purpose: "y".repeat(4000) }).where("id", "=", a.componentId).execute();
    const xml = await (await t.app.request("/api/lheo/offre.xml")).text();
    assert.equal(xsdErrors(xml), "");
  });
});

describe("LHEO feed streamed: current and upcoming sessions only, ETag and 304 (issue 16, point 5)", () => {
  let t: TestContext;
  let a: OrderFixture;
  let tokenA: string;
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    a = await createOrderFixture(t.db);
    tokenA = await t.login(a.adminEmail);
  });
  after(() => t.close());

  const publish = async (over: Record<string, unknown> = {}) => {
    const s = await t.api("POST", "/api/sessions", tokenA, sessionBody(a.orderLineId, a.siteId, over));
    assert.equal(s.status, 201, JSON.stringify(s.body));
    await t.api("POST", `/api/sessions/${s.body.id}/publish`, tokenA);
    return s.body.id as string;
  };

  test("a session that ended yesterday is left out, one ending today stays; the feed stays valid", async () => {
    const upcoming = await publish();
    const past = await publish();
    const endsToday = await publish();
    // Dates moved straight in the table: the use cases refuse a session in the past.
    await t.db.updateTable("session").set({ start_date: "2026-01-05", end_date: "2026-03-01" }).where("id", "=", past).execute();
    await t.db.updateTable("session").set({ start_date: "2026-01-05", end_date: "2026-03-02" }).where("id", "=", endsToday).execute();
    const xml = await (await t.app.request("/api/lheo/offre.xml")).text();
    assert.equal(xsdErrors(xml), "");
    assert.equal(count(xml, "session"), 2);
    assert.match(xml, new RegExp(`numero="${upcoming}"`));
    assert.match(xml, new RegExp(`numero="${endsToday}"`));
    assert.doesNotMatch(xml, new RegExp(`numero="${past}"`));
  });

  test("ETag and Last-Modified are sent; If-None-Match with it answers 304 with no body; a change of a session gives a new ETag", async () => {
    const first = await t.app.request("/api/lheo/offre.xml");
    const etag = first.headers.get("etag");
    assert.ok(etag && /^"[^"]+"$/.test(etag), `etag ${etag}`);
    assert.ok(first.headers.get("last-modified"));
    await first.text();
    const again = await t.app.request("/api/lheo/offre.xml", { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), "");
    assert.equal(again.headers.get("etag"), etag);
    const other = await t.app.request("/api/lheo/offre.xml", { headers: { "if-none-match": '"autre"' } });
    assert.equal(other.status, 200);
    await other.text();
    await t.db.updateTable("session").set({ places: 3 }).where("provider_id", "=", a.providerId).execute();
    const changed = await t.app.request("/api/lheo/offre.xml", { headers: { "if-none-match": etag } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get("etag"), etag);
    assert.equal(xsdErrors(await changed.text()), "");
  });

  test("the next day, a session that ended the day before leaves the feed and the ETag changes", async () => {
    const before = await t.app.request("/api/lheo/offre.xml");
    await before.text();
    t.clock.set("2026-03-03T09:00:00Z");
    const res = await t.app.request("/api/lheo/offre.xml", { headers: { "if-none-match": before.headers.get("etag")! } });
    assert.equal(res.status, 200);
    assert.equal(count(await res.text(), "session"), 1);
  });

  test("streamed in batches of one session: one chunk per batch, and the joined chunks are the valid document", async () => {
    const { lheoStream } = await import("./lheo.ts");
    const chunks: string[] = [];
    for await (const c of lheoStream(t.db, { publishedOnly: true }, new Date("2026-03-03T09:00:00Z"), "2026-03-03", 1)) chunks.push(c);
    const xml = chunks.join("");
    assert.ok(chunks.length >= 2, "one chunk per batch");
    assert.equal(xsdErrors(xml), "");
    assert.equal(count(xml, "formation"), 1);
    assert.equal(count(xml, "action"), 1);
    assert.equal(count(xml, "session"), 1);
  });
});
