import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, formLogin, TEST_PASSWORD, type TestContext } from "../../../test/support/app.ts";
import { newId } from "../../core/time.ts";
import { listPedagogicalReferents } from "./use-cases.ts";

const DEPARTEMENTS = [
  ["31", "Haute-Garonne"],
  ["81", "Tarn"],
  ["34", "Hérault"],
];

/** A browser-like session: the cookie and the CSRF token of the forms. */
async function browserSession(t: TestContext, email: string, password = TEST_PASSWORD) {
  const { cookie } = await formLogin(t.app, email, password);
  const home = await (await t.app.request("/", { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home)?.[1] ?? "";
  return {
    get: (path: string) => t.app.request(path, { headers: { cookie } }),
    post: (path: string, fields: Record<string, string | string[]>) => {
      const body = new URLSearchParams({ _csrf: csrf });
      for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
      return t.app.request(path, { method: "POST", body, headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
    },
  };
}

const lotBody = (code: string, departements = ["31", "81"]) => ({
  code,
  name: `Lot ${code}`,
  frameworkEnd: "2027-12-31",
  departements,
  expectedComponents: [
    { title: "Anglais professionnel", category: "transverse" },
    { title: "CACES R489", category: "regulatory" },
  ],
});

describe("region: lots, providers, staff accounts, referents", () => {
  let t: TestContext;
  let region: string;
  before(async () => {
    t = await createTestContext();
    for (const [code, name] of DEPARTEMENTS) {
      await t.db.insertInto("departement").values({ code, name }).onConflict((oc) => oc.doNothing()).execute();
    }
    await createUser(t.db, { email: "region@region.test", role: "region_officer", fullName: "Claire Région" });
    region = await t.login("region@region.test");
  });
  after(() => t.close());

  test("CP-LOTS: the Region creates a lot with its territory and expected components, then edits it", async () => {
    const res = await t.api("POST", "/api/lots", region, lotBody("LOT-1"));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.departements, ["31", "81"]);
    assert.equal(res.body.expectedComponents.length, 2);
    const edited = await t.api("PUT", `/api/lots/${res.body.id}`, region, { ...lotBody("LOT-1", ["31"]), name: "Ouest" });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.name, "Ouest");
    assert.deepEqual(edited.body.departements, ["31"]);
    const list = await t.api("GET", "/api/lots", region);
    assert.ok(list.body.some((l: any) => l.code === "LOT-1"));
  });

  test("CP-LOTS: a lot without département is refused; a duplicate code conflicts; CP-SCHEME-CATEGORIES: an unknown category is refused", async () => {
    const empty = await t.api("POST", "/api/lots", region, lotBody("LOT-X", []));
    assert.equal(empty.status, 422);
    assert.equal(empty.body.code, "CP-LOTS");
    const dup = await t.api("POST", "/api/lots", region, lotBody("LOT-1"));
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, "LOT_CODE_TAKEN");
    const badCategory = await t.api("POST", "/api/lots", region, { ...lotBody("LOT-Y"), expectedComponents: [{ title: "X", category: "autre" }] });
    assert.equal(badCategory.status, 400);
  });

  test("a trainer or a prescriber cannot create a lot (403)", async () => {
    const providerId = newId();
    await t.db.insertInto("provider").values({ id: providerId, name: "OF Formateur", siret: "73282932000074" }).execute();
    await createUser(t.db, { email: "trainer@of.test", role: "trainer", providerId });
    const orgId = newId();
    await t.db.insertInto("prescriber_organisation").values({ id: orgId, name: "France Travail Test", kind: "france_travail" }).execute();
    await createUser(t.db, { email: "prescriber@ft.test", role: "prescriber", prescriberOrganisationId: orgId });
    for (const email of ["trainer@of.test", "prescriber@ft.test"]) {
      const res = await t.api("POST", "/api/lots", await t.login(email), lotBody("LOT-Z"));
      assert.equal(res.status, 403, email);
      assert.equal(res.body.code, "FORBIDDEN");
    }
    assert.equal((await t.api("POST", "/api/lots", undefined, lotBody("LOT-Z"))).status, 401);
  });

  let providerA: string;
  test("the Region creates a provider; the SIRET is checked (Luhn, La Poste exception, unique)", async () => {
    const bad = await t.api("POST", "/api/providers", region, { name: "OF Invalide", siret: "73282932000075" });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, "SIRET_INVALID");
    const laPoste = await t.api("POST", "/api/providers", region, { name: "La Poste — établissement", siret: "356 000 000 49837" });
    assert.equal(laPoste.status, 201, JSON.stringify(laPoste.body));
    assert.equal(laPoste.body.siret, "35600000049837");
    const res = await t.api("POST", "/api/providers", region, {
      name: "Formations du Midi",
      siret: "35600000000048",
      nda: "76 31 12345 31",
      legalRepresentative: "Jeanne Martin",
      address: "12 allée Jean Jaurès, 31000 Toulouse",
      qualiopiNumber: "QUALIOPI-2024-001",
      qualiopiValidUntil: "2026-03-01",
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.nda, "76311234531");
    providerA = res.body.id;
    const dup = await t.api("POST", "/api/providers", region, { name: "Doublon", siret: "35600000000048" });
    assert.equal(dup.status, 409);
    const badNda = await t.api("POST", "/api/providers", region, { name: "NDA court", siret: "35600000012340", nda: "123" });
    assert.equal(badNda.status, 400);
  });

  test("CP-QUALIOPI and CP-REFERENTS: the provider shows its warnings (expired yesterday, no referents)", async () => {
    const res = await t.api("GET", `/api/providers/${providerA}`, region);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.warnings.map((w: any) => w.code), ["CP-QUALIOPI", "CP-REFERENTS"]);
    const renewed = await t.api("PUT", `/api/providers/${providerA}`, region, {
      name: "Formations du Midi",
      siret: "35600000000048",
      qualiopiIssuer: "AFNOR Certification",
      qualiopiNumber: "QUALIOPI-2024-001",
      qualiopiValidUntil: "2026-03-02",
    });
    assert.equal(renewed.status, 200);
    const again = await t.api("GET", `/api/providers/${providerA}`, region);
    assert.deepEqual(again.body.warnings.map((w: any) => w.code), ["CP-QUALIOPI", "CP-REFERENTS"]);
    assert.match(again.body.warnings[0].message, /expire le 02\/03\/2026/, "valid until today is still valid, but expiring");
    const certified = await t.api("PUT", `/api/providers/${providerA}`, region, {
      name: "Formations du Midi",
      siret: "35600000000048",
      qualiopiIssuer: "AFNOR Certification",
      qualiopiNumber: "QUALIOPI-2024-001",
      qualiopiValidUntil: "2027-03-02",
    });
    assert.equal(certified.body.qualiopiIssuer, "AFNOR Certification");
    const third = await t.api("GET", `/api/providers/${providerA}`, region);
    assert.deepEqual(third.body.warnings.map((w: any) => w.code), ["CP-REFERENTS"]);
  });

  test("the Region opens staff accounts; the password is stored hashed and works", async () => {
    const res = await t.api("POST", `/api/providers/${providerA}/users`, region, {
      email: "Admin@Midi.test",
      fullName: "Paul Admin",
      role: "provider_admin",
      password: "un-mot-de-passe-solide",
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.email, "admin@midi.test");
    const row = await t.db.selectFrom("app_user").select("password_hash").where("email", "=", "admin@midi.test").executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^\$argon2/);
    await t.login("admin@midi.test", "un-mot-de-passe-solide");
    const dup = await t.api("POST", `/api/providers/${providerA}/users`, region, { email: "admin@midi.test", fullName: "X", role: "trainer", password: "un-mot-de-passe-solide" });
    assert.equal(dup.status, 409);
    const weak = await t.api("POST", `/api/providers/${providerA}/users`, region, { email: "x@midi.test", fullName: "X", role: "trainer", password: "court" });
    assert.equal(weak.status, 400);
    const notStaff = await t.api("POST", `/api/providers/${providerA}/users`, region, { email: "y@midi.test", fullName: "Y", role: "region_officer", password: "un-mot-de-passe-solide" });
    assert.equal(notStaff.status, 400);
  });

  test("CP-REFERENTS: the provider's admin designates referents; the warning lists what is missing", async () => {
    const admin = await t.login("admin@midi.test", "un-mot-de-passe-solide");
    const res = await t.api("PUT", `/api/providers/${providerA}/referents`, admin, {
      referents: [
        { kind: "administrative", fullName: "Anne Admin", email: "anne@midi.test", phone: "05 61 00 00 00" },
        { kind: "company_relations", fullName: "Bruno Entreprises" },
        { kind: "public_mobilisation", fullName: "Chloé Mobilisation" },
        { kind: "disability", fullName: "David Handicap" },
        { kind: "equality", fullName: "Emma Égalité" },
      ],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.referents.length, 5);
    assert.deepEqual(res.body.warnings[0].details.missing, ["information_system"]);
    const dup = await t.api("PUT", `/api/providers/${providerA}/referents`, admin, {
      referents: [
        { kind: "equality", fullName: "A" },
        { kind: "equality", fullName: "B" },
      ],
    });
    assert.equal(dup.status, 422);
  });

  test("access: provider staff read only their own provider; a trainer cannot designate referents", async () => {
    const admin = await t.login("admin@midi.test", "un-mot-de-passe-solide");
    const own = await t.api("GET", "/api/providers", admin);
    assert.deepEqual(own.body.map((p: any) => p.id), [providerA]);
    const trainer = await t.login("trainer@of.test");
    assert.equal((await t.api("GET", `/api/providers/${providerA}`, trainer)).status, 403);
    assert.equal((await t.api("GET", `/api/providers/${providerA}/referents`, trainer)).status, 403);
    const trainerOwn = await t.api("GET", "/api/providers", trainer);
    assert.equal(trainerOwn.body.length, 1);
    assert.notEqual(trainerOwn.body[0].id, providerA);
    const write = await t.api("PUT", `/api/providers/${trainerOwn.body[0].id}/referents`, trainer, { referents: [] });
    assert.equal(write.status, 403);
    assert.equal((await t.api("PUT", `/api/providers/${providerA}`, admin, { name: "X", siret: "35600000000048" })).status, 403);
    assert.equal((await t.api("GET", `/api/providers/${newId()}`, region)).status, 404);
  });

  test("listPedagogicalReferents returns the provider's pedagogical referents only", async () => {
    await createUser(t.db, { email: "ref1@midi.test", role: "pedagogical_referent", providerId: providerA, fullName: "Inès Référente" });
    const list = await listPedagogicalReferents(t.db, providerA);
    assert.deepEqual(list.map((r) => r.full_name), ["Inès Référente"]);
  });

  test("pages: the Region's lot form works without JS and re-renders with French errors (422)", async () => {
    const s = await browserSession(t, "region@region.test");
    assert.equal((await s.get("/lots")).status, 200);
    const form = await (await s.get("/lots/nouveau")).text();
    assert.match(form, /<label for="dep-31">/);
    const bad = await s.post("/lots/nouveau", { code: "LOT-9", name: "Lot neuf", frameworkEnd: "2027-12-31" });
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assert.match(html, /Un lot couvre au moins un département/);
    assert.match(html, /value="LOT-9"/, "keeps what the user typed");
    const ok = await s.post("/lots/nouveau", {
      code: "LOT-9",
      name: "Lot neuf",
      frameworkEnd: "2027-12-31",
      departements: ["31", "34"],
      expected_title: ["Anglais", ""],
      expected_category: ["transverse", "transverse"],
    });
    assert.equal(ok.status, 303);
    const page = await (await s.get(ok.headers.get("location")!)).text();
    assert.match(page, /Le lot a été enregistré/);
    assert.match(page, /value="Anglais"/);
  });

  test("pages: provider creation with an invalid SIRET shows the error next to the field; the provider page shows warnings", async () => {
    const s = await browserSession(t, "region@region.test");
    const bad = await s.post("/organismes/nouveau", { name: "OF Test", siret: "12345678901234" });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /clé de contrôle incorrecte/);
    const page = await (await s.get(`/organismes/${providerA}`)).text();
    assert.match(page, /data-code="CP-REFERENTS"/);
    assert.match(page, /Référent système d&#39;information|Référent système d'information/);
    const list = await (await s.get("/organismes")).text();
    assert.match(list, /Formations du Midi/);
  });

  test("pages: the provider's admin sees /organisme and saves referents by form", async () => {
    const s = await browserSession(t, "admin@midi.test", "un-mot-de-passe-solide");
    const page = await (await s.get("/organisme")).text();
    assert.match(page, /Formations du Midi/);
    const fields = { referent_information_system_name: "Hugo SI", referent_administrative_name: "Anne Admin", referent_administrative_email: "pas-un-courriel" };
    const bad = await s.post("/organisme/referents", fields);
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assert.match(html, /Adresse e-mail du référent invalide/);
    assert.match(html, /value="Hugo SI"/, "keeps what the user typed");
    const ok = await s.post("/organisme/referents", { ...fields, referent_administrative_email: "anne@midi.test" });
    assert.equal(ok.status, 303);
    const kinds = await t.db.selectFrom("provider_referent").select("kind").where("provider_id", "=", providerA).orderBy("kind").execute();
    assert.deepEqual(kinds.map((k) => k.kind), ["administrative", "information_system"]);
    assert.equal((await s.get("/lots")).status, 403, "provider staff do not manage lots");
    assert.equal((await s.get(`/organismes/${providerA}`)).status, 403);
  });
});
