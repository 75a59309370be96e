import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, formLogin, type TestContext } from "../../../test/support/app.ts";
import { newId } from "../../core/time.ts";
import { acceptedOfferForLot, getComponentWithModules } from "./use-cases.ts";

async function browserSession(t: TestContext, email: string) {
  const { cookie } = await formLogin(t.app, email);
  const home = await (await t.app.request("/", { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home)?.[1] ?? "";
  return {
    csrf,
    get: (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers: { cookie, ...headers } }),
    post: (path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
      const body = new URLSearchParams({ _csrf: csrf });
      for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
      return t.app.request(path, { method: "POST", body, headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers } });
    },
  };
}

const site = (name: string, departementCode: string, postcode: string, commune: string) => ({ name, address: "1 place du Capitole", postcode, commune, departementCode, accessible: true });
const transverseModules = [
  { title: "Usages du numérique", minutes: 600, modality: "centre", contentTag: "digital" },
  { title: "Soft skills", minutes: 420, modality: "centre", contentTag: "soft_skills" },
  { title: "Transition écologique", minutes: 240, modality: "centre", contentTag: "ecological_transition" },
];

describe("offer: sites, components, modules, submission, review, hybrid", () => {
  let t: TestContext;
  let region: string;
  let adminA: string;
  let adminB: string;
  let lotId: string;
  let providerA: string;
  let siteToulouse: string;
  let siteMontpellier: string;
  let componentId: string;
  let treModuleId: string;

  before(async () => {
    t = await createTestContext();
    for (const [code, name] of [["31", "Haute-Garonne"], ["81", "Tarn"], ["34", "Hérault"]]) {
      await t.db.insertInto("departement").values({ code, name }).onConflict((oc) => oc.doNothing()).execute();
    }
    await createUser(t.db, { email: "region@region.test", role: "region_officer", fullName: "Claire Région" });
    region = await t.login("region@region.test");
    const lot = await t.api("POST", "/api/lots", region, { code: "LOT-OUEST", name: "Ouest Occitanie", frameworkEnd: "2027-12-31", departements: ["31", "81"] });
    lotId = lot.body.id;
    const a = await t.api("POST", "/api/providers", region, { name: "Formations du Midi", siret: "73282932000074" });
    const b = await t.api("POST", "/api/providers", region, { name: "Autre Organisme", siret: "35600000000048" });
    providerA = a.body.id;
    await createUser(t.db, { email: "admin@a.test", role: "provider_admin", providerId: providerA, fullName: "Admin A" });
    await createUser(t.db, { email: "trainer@a.test", role: "trainer", providerId: providerA });
    await createUser(t.db, { email: "admin@b.test", role: "provider_admin", providerId: b.body.id });
    adminA = await t.login("admin@a.test");
    adminB = await t.login("admin@b.test");
  });
  after(() => t.close());

  test("CP-SITES: provider staff declare their sites; the postcode has 5 digits", async () => {
    const res = await t.api("POST", "/api/sites", adminA, site("Toulouse Compans", "31", "31000", "Toulouse"));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    siteToulouse = res.body.id;
    siteMontpellier = (await t.api("POST", "/api/sites", adminA, site("Montpellier Antigone", "34", "34000", "Montpellier"))).body.id;
    const bad = await t.api("POST", "/api/sites", adminA, site("Sans CP", "31", "310", "Toulouse"));
    assert.equal(bad.status, 400);
    const unknownDep = await t.api("POST", "/api/sites", adminA, site("Ailleurs", "75", "75001", "Paris"));
    assert.equal(unknownDep.status, 422);
    assert.equal((await t.api("POST", "/api/sites", region, site("Région", "31", "31000", "Toulouse"))).status, 403);
    const list = await t.api("GET", "/api/sites", adminB);
    assert.deepEqual(list.body, [], "provider B sees none of A's sites");
  });

  test("CP-SITE-IN-LOT: a component naming a site outside the lot is refused", async () => {
    const res = await t.api("POST", "/api/components", adminA, {
      lotId,
      title: "Anglais professionnel",
      category: "transverse",
      siteIds: [siteToulouse, siteMontpellier],
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, "CP-SITE-IN-LOT");
    assert.match(res.body.detail, /Montpellier Antigone/);
  });

  test("CP-LEVELS-2019: a legacy level IV is stored as 4; an unknown level is refused; CP-OFFER-INFO is kept", async () => {
    const bad = await t.api("POST", "/api/components", adminA, { lotId, title: "X", category: "transverse", level: "VI", siteIds: [siteToulouse] });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, "CP-LEVELS-2019");
    const res = await t.api("POST", "/api/components", adminA, {
      lotId,
      title: "Anglais professionnel (CECRL B1)",
      category: "transverse",
      certificationCode: "rs 5678",
      level: "IV",
      prerequisites: "Niveau A2",
      content: "Communication orale et écrite",
      purpose: "Atteindre le niveau B1",
      siteIds: [siteToulouse],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.level2019, 4);
    assert.equal(res.body.certificationCode, "RS5678");
    assert.equal(res.body.offerStatus, "draft");
    assert.deepEqual([res.body.prerequisites, res.body.content, res.body.purpose], ["Niveau A2", "Communication orale et écrite", "Atteindre le niveau B1"]);
    componentId = res.body.id;
  });

  test("CP-MODULAR: modules are added in minutes or as « 3h30 »; CP-MODALITIES: an unknown modality is refused", async () => {
    const core = await t.api("POST", `/api/components/${componentId}/modules`, adminA, { title: "Anglais général", duration: "100h", modality: "centre" });
    assert.equal(core.status, 201, JSON.stringify(core.body));
    assert.equal(core.body.minutes, 6000);
    for (const m of transverseModules) assert.equal((await t.api("POST", `/api/components/${componentId}/modules`, adminA, m)).status, 201);
    const tre = await t.api("POST", `/api/components/${componentId}/modules`, adminA, { title: "TRE", minutes: 839, modality: "centre", contentTag: "job_search" });
    treModuleId = tre.body.id;
    const bad = await t.api("POST", `/api/components/${componentId}/modules`, adminA, { title: "Illisible", duration: "beaucoup", modality: "centre" });
    assert.equal(bad.status, 400);
    const badModality = await t.api("POST", `/api/components/${componentId}/modules`, adminA, { title: "Visio", minutes: 60, modality: "visio" });
    assert.equal(badModality.status, 400);
    const detail = await t.api("GET", `/api/components/${componentId}`, adminA);
    assert.deepEqual(detail.body.modules.map((m: any) => m.position), [0, 1, 2, 3, 4]);
    assert.deepEqual(detail.body.checks.map((v: any) => v.code), ["CP-TRE-MIN-14H"], "the live checks show what submission would refuse");
  });

  test("CP-TRE-MIN-14H: submission with 13 h 59 min of TRE is refused; with 14 h it is submitted", async () => {
    const refused = await t.api("POST", `/api/components/${componentId}/submit`, adminA);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "CP-TRE-MIN-14H");
    const fixed = await t.api("PUT", `/api/components/${componentId}/modules/${treModuleId}`, adminA, { title: "TRE", duration: "14h", modality: "centre", contentTag: "job_search" });
    assert.equal(fixed.status, 200);
    assert.equal(fixed.body.minutes, 840);
    const ok = await t.api("POST", `/api/components/${componentId}/submit`, adminA);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.offerStatus, "submitted");
    const locked = await t.api("POST", `/api/components/${componentId}/modules`, adminA, { title: "Encore", minutes: 60, modality: "centre" });
    assert.equal(locked.status, 409);
    assert.equal(locked.body.code, "COMPONENT_LOCKED");
  });

  test("access: provider B cannot read or edit provider A's component, which answers as unknown (404, NO-EXISTENCE-LEAK); a prescriber sees no offer", async () => {
    assert.equal((await t.api("GET", `/api/components/${componentId}`, adminB)).status, 404);
    assert.equal((await t.api("PUT", `/api/components/${componentId}`, adminB, { lotId, title: "Volé", category: "transverse", siteIds: [] })).status, 404);
    assert.equal((await t.api("POST", `/api/components/${componentId}/modules`, adminB, { title: "X", minutes: 60, modality: "centre" })).status, 404);
    assert.equal((await t.api("POST", `/api/components/${componentId}/submit`, adminB)).status, 404);
    assert.equal((await t.api("POST", `/api/components/${componentId}/hybrid`, adminB, { organisation: "x" })).status, 404);
    assert.equal((await t.api("GET", `/api/sites/${siteToulouse}`, adminB)).status, 404);
    assert.deepEqual((await t.api("GET", "/api/components", adminB)).body, []);
    assert.equal((await t.api("GET", `/api/components/${newId()}`, adminA)).status, 404);
    const orgId = newId();
    await t.db.insertInto("prescriber_organisation").values({ id: orgId, name: "Mission Locale Test", kind: "mission_locale" }).execute();
    await createUser(t.db, { email: "presc@ml.test", role: "prescriber", prescriberOrganisationId: orgId });
    assert.equal((await t.api("GET", "/api/components", await t.login("presc@ml.test"))).status, 403);
  });

  test("role table: a trainer reads the offer but writes none of it (403 on sites, components, modules, hybrid); no write button on the pages", async () => {
    const trainer = await t.login("trainer@a.test");
    assert.equal((await t.api("GET", `/api/components/${componentId}`, trainer)).status, 200);
    assert.equal((await t.api("POST", "/api/sites", trainer, site("Formateur", "31", "31000", "Toulouse"))).status, 403);
    assert.equal((await t.api("PUT", `/api/sites/${siteToulouse}`, trainer, site("Renommé", "31", "31000", "Toulouse"))).status, 403);
    assert.equal((await t.api("POST", `/api/components/${componentId}/modules`, trainer, { title: "Ajout", duration: "1h", modality: "centre" })).status, 403);
    assert.equal((await t.api("PUT", `/api/components/${componentId}/modules/${treModuleId}`, trainer, { title: "Modifié", duration: "1h", modality: "centre" })).status, 403);
    const page = await t.pageSession("trainer@a.test");
    const home = await page.get("/offre");
    assert.equal(home.status, 200);
    assert.doesNotMatch(home.html, /Nouvelle composante/);
    assert.doesNotMatch((await page.get("/offre/sites")).html, /Ajouter le site/);
    const created = await page.post("/offre/sites", { name: "Par formulaire", address: "1 rue", postcode: "31000", commune: "Toulouse", departementCode: "31", accessible: "on" });
    assert.equal(created.status, 403);
  });

  test("the Region lists submitted components and accepts; the transition is logged with its author", async () => {
    const list = await t.api("GET", `/api/components?status=submitted&lotId=${lotId}`, region);
    assert.deepEqual(list.body.map((c: any) => c.id), [componentId]);
    assert.equal((await t.api("POST", `/api/components/${componentId}/decision`, adminA, { decision: "accepted" })).status, 403);
    const res = await t.api("POST", `/api/components/${componentId}/decision`, region, { decision: "accepted", reason: "Conforme au CCTP" });
    assert.equal(res.status, 200);
    assert.equal(res.body.offerStatus, "accepted");
    const again = await t.api("POST", `/api/components/${componentId}/decision`, region, { decision: "refused", reason: "Trop tard" });
    assert.equal(again.status, 409);
    const log = await t.db.selectFrom("transition_log").selectAll().where("entity_id", "=", componentId).orderBy("id").execute();
    assert.deepEqual(log.map((l) => l.to_status), ["draft", "submitted", "accepted"]);
    assert.equal(log[2].reason, "Conforme au CCTP");
  });

  test("acceptedOfferForLot and getComponentWithModules give other domains the accepted offer", async () => {
    const offer = await acceptedOfferForLot(t.db, providerA, lotId);
    assert.deepEqual(offer.map((c) => [c.id, c.siteIds]), [[componentId, [siteToulouse]]]);
    const full = await getComponentWithModules(t.db, componentId);
    assert.equal(full?.modules.length, 5);
    assert.equal(full?.modules[0].title, "Anglais général");
    assert.deepEqual(full?.siteIds, [siteToulouse]);
  });

  test("CP-SITE-IN-LOT: a site cannot move out of the lot of a component run there", async () => {
    const moved = await t.api("PUT", `/api/sites/${siteToulouse}`, adminA, site("Toulouse Compans", "34", "34000", "Montpellier"));
    assert.equal(moved.status, 422);
    assert.equal(moved.body.code, "CP-SITE-IN-LOT");
    const renamed = await t.api("PUT", `/api/sites/${siteToulouse}`, adminA, { ...site("Toulouse Compans-Caffarelli", "31", "31000", "Toulouse"), accessible: false });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.accessible, false);
  });

  test("CP-HYBRID-APPROVED: the provider requests hybrid with its distance organisation; the Region approves", async () => {
    const empty = await t.api("POST", `/api/components/${componentId}/hybrid`, adminA, { organisation: "  " });
    assert.equal(empty.status, 422);
    assert.equal(empty.body.code, "CP-HYBRID-APPROVED");
    const req = await t.api("POST", `/api/components/${componentId}/hybrid`, adminA, {
      organisation: "Classes virtuelles sur la plateforme de l'organisme ; formateurs certifiés sur l'outil de web-conférence.",
    });
    assert.equal(req.status, 200);
    assert.equal(req.body.hybridStatus, "requested");
    assert.equal((await t.api("POST", `/api/components/${componentId}/hybrid/decision`, adminA, { decision: "approved" })).status, 403);
    const refusedNoReason = await t.api("POST", `/api/components/${componentId}/hybrid/decision`, region, { decision: "refused" });
    assert.equal(refusedNoReason.status, 400);
    const ok = await t.api("POST", `/api/components/${componentId}/hybrid/decision`, region, { decision: "approved" });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.hybridStatus, "approved");
    assert.ok(ok.body.hybridDecidedAt);
    const row = await t.db.selectFrom("component").select("hybrid_decided_by").where("id", "=", componentId).executeTakeFirstOrThrow();
    assert.ok(row.hybrid_decided_by);
    const log = await t.db.selectFrom("transition_log").select("to_status").where("entity", "=", "component_hybrid").where("entity_id", "=", componentId).orderBy("id").execute();
    assert.deepEqual(log.map((l) => l.to_status), ["requested", "approved"]);
  });

  test("CP-HYBRID-APPROVED: an e-formation component cannot request hybrid", async () => {
    const res = await t.api("POST", "/api/components", adminA, { lotId, title: "Anglais en e-formation", category: "transverse", eFormation: true, siteIds: [siteToulouse] });
    const req = await t.api("POST", `/api/components/${res.body.id}/hybrid`, adminA, { organisation: "Plateforme" });
    assert.equal(req.status, 422);
    assert.match(req.body.detail, /e-formation/);
  });

  test("CP-PREP-WRITTEN-ORAL: a specific preparation without oral training is refused; refused components can be fixed and resubmitted", async () => {
    const prep = await t.api("POST", "/api/components", adminA, { lotId, title: "Préparation aide-soignant", category: "specific_preparation", level: "4", siteIds: [siteToulouse] });
    const id = prep.body.id;
    for (const m of transverseModules) await t.api("POST", `/api/components/${id}/modules`, adminA, m);
    await t.api("POST", `/api/components/${id}/modules`, adminA, { title: "TRE", duration: "14", modality: "centre", contentTag: "job_search" });
    await t.api("POST", `/api/components/${id}/modules`, adminA, { title: "Préparation à l'écrit", duration: "60", modality: "centre", prepPart: "written" });
    const refused = await t.api("POST", `/api/components/${id}/submit`, adminA);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "CP-PREP-WRITTEN-ORAL");
    await t.api("POST", `/api/components/${id}/modules`, adminA, { title: "Entraînement à l'oral", duration: "20", modality: "centre", prepPart: "oral" });
    assert.equal((await t.api("POST", `/api/components/${id}/submit`, adminA)).status, 200);
    const no = await t.api("POST", `/api/components/${id}/decision`, region, { decision: "refused", reason: "Calendrier des sélections absent" });
    assert.equal(no.body.offerStatus, "refused");
    const edit = await t.api("PUT", `/api/components/${id}`, adminA, { lotId, title: "Préparation aide-soignant (IFAS)", category: "specific_preparation", level: "4", siteIds: [siteToulouse] });
    assert.equal(edit.status, 200);
    assert.equal((await t.api("POST", `/api/components/${id}/submit`, adminA)).body.offerStatus, "submitted");
  });

  test("CP-TRANSVERSE-CONTENT: submission lists the missing transverse contents; the digital subcategory needs no digital module", async () => {
    const res = await t.api("POST", "/api/components", adminA, { lotId, title: "Bureautique", category: "transverse", subcategory: "digital", siteIds: [siteToulouse] });
    const id = res.body.id;
    await t.api("POST", `/api/components/${id}/modules`, adminA, { title: "TRE", duration: "14", modality: "centre", contentTag: "job_search" });
    const refused = await t.api("POST", `/api/components/${id}/submit`, adminA);
    assert.equal(refused.body.code, "CP-TRANSVERSE-CONTENT");
    assert.deepEqual(refused.body.violations[0].details.missing, ["soft_skills", "ecological_transition"]);
    for (const m of transverseModules.slice(1)) await t.api("POST", `/api/components/${id}/modules`, adminA, m);
    assert.equal((await t.api("POST", `/api/components/${id}/submit`, adminA)).status, 200);
  });

  test("CP-SCHEME-CATEGORIES « Sous-catégorie » is picked from a list of the allowed codes, never typed: the form shows a select grouped by category; an unknown code is refused in French by the form and the API (issue 10, point 3)", async () => {
    const s = await browserSession(t, "admin@a.test");
    const form = await (await s.get("/offre/composantes/nouvelle")).text();
    assert.match(form, /<label for="f-subcategory">Sous-catégorie<\/label>/);
    assert.match(form, /<select id="f-subcategory" name="subcategory"/);
    assert.doesNotMatch(form, /<input[^>]*name="subcategory"/, "no typed code");
    assert.match(form, /<optgroup label="[^"]+"><option value="english">Anglais<\/option><option value="digital">Numérique et logiciels<\/option>/);
    assert.doesNotMatch(form, /Sous-catégorie \(code\)/);
    const refused = await s.post("/offre/composantes/nouvelle", { lotId, title: "Bureautique", category: "transverse", subcategory: "numerique-perso", siteIds: siteToulouse });
    assert.equal(refused.status, 422);
    const html = await refused.text();
    assert.match(html, /Sous-catégorie inconnue : choisissez-la dans la liste\./);
    assert.match(html, /<option value="numerique-perso" selected="">« numerique-perso » \(hors liste/, "the refused value is kept, flagged");
    const api = await t.api("POST", "/api/components", adminA, { lotId, title: "Bureautique", category: "transverse", subcategory: "numerique-perso", siteIds: [siteToulouse] });
    assert.equal(api.status, 400);
    assert.match(JSON.stringify(api.body), /Sous-catégorie inconnue/);
    const ok = await s.post("/offre/composantes/nouvelle", { lotId, title: "Bureautique", category: "transverse", subcategory: "digital", siteIds: siteToulouse });
    assert.equal(ok.status, 303);
    const page = await (await s.get(ok.headers.get("location")!.split("?")[0])).text();
    assert.match(page, /Numérique et logiciels/, "the component page shows the French label, not the code");
  });

  test("pages: the provider's offer, the component page with its checks, a module typed as « 3h30 », and the live check fragment", async () => {
    const s = await browserSession(t, "admin@a.test");
    const home = await (await s.get("/offre")).text();
    assert.match(home, /Anglais professionnel \(CECRL B1\)/);
    assert.match(home, /badge accepted/);
    const created = await s.post("/offre/composantes/nouvelle", { lotId, title: "Habilitation électrique B0", category: "regulatory", siteIds: siteMontpellier });
    assert.equal(created.status, 422, "site outside the lot");
    assert.match(await created.text(), /hors du territoire du lot/);
    const ok = await s.post("/offre/composantes/nouvelle", { lotId, title: "Habilitation électrique B0", category: "regulatory", siteIds: siteToulouse, level: "V" });
    assert.equal(ok.status, 303);
    const url = ok.headers.get("location")!.split("?")[0];
    const page = await (await s.get(url)).text();
    assert.match(page, /Vérifier/);
    assert.match(page, /data-code="CP-TRANSVERSE-CONTENT"/);
    const added = await s.post(`${url}/modules`, { module_title: "Sensibilisation au risque électrique", module_duration: "3h30", module_modality: "centre", module_contentTag: "none", module_prepPart: "" });
    assert.equal(added.status, 303);
    const id = url.split("/").pop()!;
    const modules = await t.db.selectFrom("module").select(["minutes", "content_tag"]).where("component_id", "=", id).execute();
    assert.deepEqual(modules, [{ minutes: 210, content_tag: null }]);
    // The edit form reads back what it wrote: 3 h 30 → « 3h30 », 30 min → « 0h30 ».
    const [moduleRow] = await t.db.selectFrom("module").select("id").where("component_id", "=", id).execute();
    const editUrl = `${url}/modules/${moduleRow.id}`;
    assert.match(await (await s.get(editUrl)).text(), /name="module_duration" type="text" value="3h30"/);
    assert.equal((await s.post(editUrl, { module_title: "Risque électrique", module_duration: "0h30", module_modality: "centre", module_position: "0" })).status, 303);
    assert.match(await (await s.get(editUrl)).text(), /value="0h30"/);
    assert.equal((await t.db.selectFrom("module").select("minutes").where("id", "=", moduleRow.id).executeTakeFirstOrThrow()).minutes, 30);
    assert.equal((await s.post(editUrl, { module_title: "Risque électrique", module_duration: "3h30", module_modality: "centre" })).status, 303);
    const badModule = await s.post(`${url}/modules`, { module_title: "Illisible", module_duration: "trois heures", module_modality: "centre" });
    assert.equal(badModule.status, 422);
    assert.match(await badModule.text(), /Durée illisible/);
    const fragment = await s.post(`${url}/verifier`, { lotId, title: "Habilitation", category: "regulatory", subcategory: "digital", siteIds: siteMontpellier }, { "hx-request": "true" });
    assert.equal(fragment.status, 200);
    const html = await fragment.text();
    assert.match(html, /^<div id="checks">/);
    assert.match(html, /data-code="CP-SITE-IN-LOT"/);
    assert.doesNotMatch(html, /usages du numérique/, "the typed digital subcategory is taken into account");
    const submit = await s.post(`${url}/soumettre`, {});
    assert.equal(submit.status, 422);
    assert.match(await submit.text(), /CP-TRE-MIN-14H/);
  });

  test("pages: the Region's review list filters by status; provider B gets 404 on A's component page (NO-EXISTENCE-LEAK)", async () => {
    const s = await browserSession(t, "region@region.test");
    const review = await (await s.get("/offre")).text();
    assert.match(review, /Examen des offres/);
    assert.match(review, /Bureautique/, "submitted by default");
    assert.doesNotMatch(review, /Habilitation électrique B0/, "a draft is not in the default list");
    const all = await (await s.get("/offre?statut=tous")).text();
    assert.match(all, /Habilitation électrique B0/);
    const page = await (await s.get(`/offre/composantes/${componentId}`)).text();
    assert.doesNotMatch(page, /Ajouter un module/, "the Region reads, it does not edit");
    const b = await browserSession(t, "admin@b.test");
    assert.equal((await b.get(`/offre/composantes/${componentId}`)).status, 404);
  });

  test("the API is described in OpenAPI", async () => {
    const doc = await t.api("GET", "/api/openapi.json");
    assert.equal(doc.status, 200);
    for (const p of ["/api/lots", "/api/providers/{id}/referents", "/api/sites", "/api/components/{id}/modules", "/api/components/{id}/submit", "/api/components/{id}/decision", "/api/components/{id}/hybrid/decision"]) {
      assert.ok(doc.body.paths[p], p);
    }
  });
});
