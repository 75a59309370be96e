// The Region's figures on a small hand-made data set whose expected figures are computed by hand
// (docs/kpi.md): two orders, seven entered paths, one draft, a few proved and declared presences.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Actor } from "../../core/auth/actor.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { addAttendance, addSlot } from "../ledger/testing.ts";
import { actorOf, mod, plan, position, register } from "../paths/testing.ts";
import { exitPath, savePlan, validatePath } from "../paths/use-cases.ts";
import { newId } from "../../core/time.ts";
import { average, MIN_RATE_BASE, rate, shareOf } from "./rules.ts";

describe("KPI rules: bases and small numbers (CP-KPI-ORGANISATION)", () => {
  test("CP-KPI-ORGANISATION: a rate on 5 people is shown, on 4 it is hidden; per-mille rounding half up", () => {
    assert.equal(MIN_RATE_BASE, 5);
    assert.deepEqual(rate("r", "CP-KPI-ORGANISATION", "x", 1, 5, "b"), { key: "r", rule: "CP-KPI-ORGANISATION", label: "x", unit: "percent", value: 20, status: "ok", base: 5, baseLabel: "b" });
    const hidden = rate("r", "CP-KPI-ORGANISATION", "x", 1, 4, "b");
    assert.equal(hidden.value, null);
    assert.equal(hidden.status, "small_base");
    assert.equal(hidden.base, 4);
    assert.equal(rate("r", "K", "x", 2, 6, "b").value, 33.3);
    assert.equal(rate("r", "K", "x", 1, 6, "b").value, 16.7);
    assert.equal(average("a", "K", "x", 1620, 5, "b").value, 324);
    assert.equal(average("a", "K", "x", 1620, 4, "b").status, "small_base");
  });
});

describe("dashboard, compliance board and realised-hours export on a hand-made data set", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let old: OrderFixture;
  let admin: Actor;
  let region: string;
  const paths: string[] = [];

  before(async () => {
    t = await createTestContext("2026-04-15T09:00:00Z");
    // Order A (2026): headcount 10 × (150 h centre + 50 h company) = 2 000 h ordered.
    fx = await createOrderFixture(t.db);
    admin = await actorOf(t.db, fx.adminEmail);
    region = await t.login(fx.regionEmail);
    // Six entered paths of 240 min positioning + 1 760 min centre = 2 000 min planned each.
    for (let i = 1; i <= 6; i++) {
      const { pathId } = await register(t.db, admin, fx, { lastName: `Kpi${i}` });
      await position(t.db, admin, pathId, 240);
      await savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 1760)]));
      await validatePath(t.db, admin, pathId);
      paths.push(pathId);
    }
    await register(t.db, admin, fx, { lastName: "Brouillon" }); // a draft: no entry
    const slot = (pathId: string, modality: "centre" | "self_study" | "distance", minutes: number, location?: "remote") =>
      addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-10", modality, minutes, location, pathIds: [pathId] });
    await addAttendance(t.db, { slotId: await slot(paths[0], "centre", 210), pathId: paths[0], minutes: 210 });
    await addAttendance(t.db, { slotId: await slot(paths[1], "self_study", 120, "remote"), pathId: paths[1], minutes: 120, method: "self_study" });
    await addAttendance(t.db, { slotId: await slot(paths[3], "distance", 90), pathId: paths[3], minutes: 90, method: "remote" });
    const declared = await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-11", modality: "centre", minutes: 60, pathIds: [paths[3]] });
    await addAttendance(t.db, { slotId: declared, pathId: paths[3], minutes: 60, signed: false });
    for (const p of paths.slice(0, 4)) await exitPath(t.db, admin, p, { status: "closed", actualExitDate: "2026-03-31" });
    await exitPath(t.db, admin, paths[4], { status: "dropped", actualExitDate: "2026-03-20", reason: "Déménagement" });
    // Order B (2025, another provider): one path.
    old = await createOrderFixture(t.db, { plannedStart: "2025-02-01", plannedEnd: "2025-12-31", headcount: 2, centreMinutes: 3000, companyMinutes: 0 });
    const oldAdmin = await actorOf(t.db, old.adminEmail);
    const { pathId } = await register(t.db, oldAdmin, old, { lastName: "Ancien", entryDate: "2025-03-03", plannedExitDate: "2025-06-30" });
    await position(t.db, oldAdmin, pathId, 180, { restitutionOn: "2025-03-04" });
    await savePlan(t.db, oldAdmin, pathId, plan([mod(old.moduleIds["Anglais général"], "centre", 1000)], { entryDate: "2025-03-03", plannedExitDate: "2025-06-30" }));
    await validatePath(t.db, oldAdmin, pathId);
    // Exit capability's records (exit/views.ts), written as the exit domain writes them.
    const at = new Date("2026-03-31T12:00:00Z");
    const reasons = ["completed", "completed", "employment", "other_training", "dropout"] as const;
    for (const [i, reason] of reasons.entries())
      await t.db.insertInto("path_exit").values({ path_id: paths[i], reason, cause: reason === "dropout" ? "Déménagement" : null, email: `kpi${i}@example.org`, recorded_at: at }).execute();
    const certificationId = newId();
    await t.db.insertInto("certification").values({ id: certificationId, provider_id: fx.providerId, component_id: fx.componentId, kind: "RS", code: "RS5001", title: "Anglais", skill_blocks: "[]" }).execute();
    const exam = (pathId: string, result: "passed" | "partial" | "failed" | "absent" | null, secondSession = false) =>
      t.db.insertInto("exam_registration").values({ id: newId(), path_id: pathId, certification_id: certificationId, internal: true, session_on: "2026-03-25", second_session: secondSession, result, created_at: at }).execute();
    // Best result per trainee: passed (after a failure), passed, partial, failed, absent; paths[5] has no result yet.
    await exam(paths[0], "failed");
    await exam(paths[0], "passed", true);
    await exam(paths[1], "passed");
    await exam(paths[2], "partial");
    await exam(paths[3], "failed");
    await exam(paths[4], "absent");
    await exam(paths[5], null);
    const follow = (pathId: string, milestone: "exit" | "m3" | "m6", situation: "employment" | "training" | "job_seeking" | "other" | "unknown", sector?: boolean) =>
      t.db.insertInto("follow_up").values({ id: newId(), path_id: pathId, milestone, situation, in_target_sector: situation === "employment" ? (sector ?? false) : null, recorded_at: at }).execute();
    // At exit: 5 known (2 in employment, 1 in the sector) → shown. At 3 months: 4 known → hidden. At 6 months: 5 rows, 1 unknown → 4 known → hidden.
    await follow(paths[0], "exit", "employment", true);
    await follow(paths[1], "exit", "employment", false);
    await follow(paths[2], "exit", "training");
    await follow(paths[3], "exit", "job_seeking");
    await follow(paths[4], "exit", "other");
    for (const p of paths.slice(0, 4)) await follow(p, "m3", "employment", true);
    for (const p of paths.slice(0, 4)) await follow(p, "m6", "employment", true);
    await follow(paths[4], "m6", "unknown");
    // Satisfaction, anonymous: 5 answers on order A's component (13 positive of 20 Likert answers), 4 on order B's.
    const qs = ["5a7e0000-0000-4000-8000-000000000001", "5a7e0000-0000-4000-8000-000000000002", "5a7e0000-0000-4000-8000-000000000003", "5a7e0000-0000-4000-8000-000000000004"];
    const answer = (o: OrderFixture, values: number[], on = "2026-04-01") =>
      t.db.insertInto("satisfaction_answer").values({ id: newId(), provider_id: o.providerId, component_id: o.componentId, answers: JSON.stringify(Object.fromEntries(qs.map((q, i) => [q, values[i]]))), answered_on: on }).execute();
    for (const v of [[5, 5, 4, 4], [4, 4, 4, 4], [3, 3, 3, 3], [5, 4, 2, 1], [4, 5, 5, 3]]) await answer(fx, v);
    for (let i = 0; i < 4; i++) await answer(old, [5, 5, 5, 5], "2025-09-01");
  });
  after(() => t.close());

  const figure = (list: { key: string }[], key: string) => list.find((f) => f.key === key) as unknown as { value: number | null; base: number | null; status: string };

  test("CP-KPI-ORGANISATION: entries, trainees in training, exits, drop rate and average path length of the 2026 orders", async () => {
    const res = await t.api("GET", `/api/dashboard?year=2026&providerId=${fx.providerId}`, region);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const d = res.body;
    assert.equal(figure(d.organisation, "entries").value, 6, "six validated paths; the draft is no entry");
    assert.equal(figure(d.organisation, "inTraining").value, 1);
    assert.equal(figure(d.exits, "exitsCompleted").value, 4);
    assert.equal(figure(d.exits, "exitsDropped").value, 1);
    assert.deepEqual(figure(d.exits, "dropRate"), { ...figure(d.exits, "dropRate"), value: 20, base: 5, status: "ok" });
    assert.equal(figure(d.organisation, "plannedLength").value, 2000);
    // (5 × 240 positioning + 210 + 120 + 90) / 5 exited paths; the declared 60 min are not realised.
    assert.equal(figure(d.organisation, "realisedLength").value, 324);
    assert.deepEqual(d.entriesByMonth, [{ month: "2026-03", entries: 6 }]);
  });

  test("CP-KPI-ORGANISATION, CP-ATTENDANCE-REALISED: hours ordered, planned and realised by the Region's categories", async () => {
    const d = (await t.api("GET", "/api/dashboard?year=2026", region)).body;
    assert.deepEqual(d.hours.ordered, { centre: 90000, company: 30000, total: 120000 });
    assert.equal(d.hours.planned.total, 12000);
    assert.equal(d.hours.planned.centre, 12000);
    assert.deepEqual(d.hours.realised, { centre: 1650, company: 0, distance: 90, selfStudy: 120, selfStudyRemote: 120, selfStudyCentre: 0, total: 1860 });
    assert.equal(d.orders, 1);
  });

  test("CP-KPI-ORGANISATION: exits by their recorded reason", async () => {
    const d = (await t.api("GET", `/api/dashboard?year=2026`, region)).body;
    assert.deepEqual(
      d.exitReasons.map((f: { key: string; value: number }) => [f.key, f.value]),
      [["exitsRecorded", 5], ["exit_completed", 2], ["exit_employment", 1], ["exit_other_training", 1], ["exit_dropout", 1], ["exit_exclusion", 0]],
    );
    assert.equal(figure((await t.api("GET", "/api/dashboard?year=2025", region)).body.exitReasons, "exitsRecorded").value, 0);
  });

  test("CP-KPI-EXAMS: presentation 4/5, full success 2/5, partial 1/5 on the trainees registered with a result (best result per trainee)", async () => {
    const d = (await t.api("GET", "/api/dashboard?year=2026", region)).body;
    assert.deepEqual([figure(d.exams, "examPresented"), figure(d.exams, "examFull"), figure(d.exams, "examPartial")].map((f) => [f.value, f.base, f.status]), [
      [80, 5, "ok"],
      [40, 5, "ok"],
      [20, 5, "ok"],
    ]);
    // Another département: nobody, the rates hidden (the 4 / 5 boundary of the rate helper is tested above and for employment).
    assert.equal(figure((await t.api("GET", "/api/dashboard?departement=81", region)).body.exams, "examFull").base, 0);
  });

  test("CP-KPI-EMPLOYMENT: at exit 2/5 employed, 1/5 in the targeted sector (5 shows); at 3 and 6 months 4 known situations hide", async () => {
    const d = (await t.api("GET", "/api/dashboard?year=2026", region)).body;
    assert.deepEqual(figure(d.employment, "employmentExit"), { ...figure(d.employment, "employmentExit"), value: 40, base: 5, status: "ok" });
    assert.deepEqual(figure(d.employment, "employmentSectorExit"), { ...figure(d.employment, "employmentSectorExit"), value: 20, base: 5, status: "ok" });
    for (const k of ["employment3m", "employmentSector3m", "employment6m", "employmentSector6m"]) {
      assert.deepEqual(figure(d.employment, k), { ...figure(d.employment, k), value: null, base: 4, status: "small_base" }, k);
    }
  });

  test("CP-KPI-SATISFACTION: 13 positive answers of 20 from 5 respondents = 65 %; 4 respondents hide; filtered by provider, component and year", async () => {
    assert.deepEqual(shareOf("s", "CP-KPI-SATISFACTION", "x", 13, 20, 5, "b"), { key: "s", rule: "CP-KPI-SATISFACTION", label: "x", unit: "percent", value: 65, status: "ok", base: 5, baseLabel: "b" });
    assert.equal(shareOf("s", "CP-KPI-SATISFACTION", "x", 16, 16, 4, "b").status, "small_base");
    const a = (await t.api("GET", `/api/dashboard?year=2026&providerId=${fx.providerId}`, region)).body;
    assert.deepEqual(figure(a.satisfaction, "satisfaction"), { ...figure(a.satisfaction, "satisfaction"), value: 65, base: 5, status: "ok" });
    const b = (await t.api("GET", `/api/dashboard?componentId=${old.componentId}`, region)).body;
    assert.deepEqual(figure(b.satisfaction, "satisfaction"), { ...figure(b.satisfaction, "satisfaction"), value: null, base: 4, status: "small_base" });
    assert.equal(figure((await t.api("GET", "/api/dashboard?year=2025", region)).body.satisfaction, "satisfaction").base, 4);
  });

  test("CP-KPI-VAE: validation rate = full / engaged with a result; partial beside it; 4 decided hidden, 5 shown", async () => {
    // By hand: five exits of order A engaged in a VAE; full, full, partial, none decided, the fifth awaiting its jury.
    const staff = await t.login(fx.adminEmail);
    const vae = async (pathId: string, body: Record<string, unknown>) => assert.equal((await t.api("PUT", `/api/paths/${pathId}/vae`, staff, body)).status, 204);
    for (const [i, result] of (["full", "full", "partial", "none"] as const).entries()) await vae(paths[i]!, { vaeEngaged: true, vaeResult: result, vaeDecidedOn: "2026-04-10" });
    await vae(paths[4]!, { vaeEngaged: true });
    const four = (await t.api("GET", "/api/dashboard?year=2026", region)).body.vae;
    assert.deepEqual(figure(four, "vaeEngaged"), { ...figure(four, "vaeEngaged"), value: 5, base: 5, status: "ok" });
    assert.deepEqual(figure(four, "vaeValidated"), { ...figure(four, "vaeValidated"), value: null, base: 4, status: "small_base" }, "4 decided: hidden");
    assert.equal(figure(four, "vaePartial").status, "small_base");
    // The fifth jury decides (today, 15/04/2026, from the injected clock): 3 full of 5 = 60 %, 1 partial of 5 = 20 %.
    await vae(paths[4]!, { vaeEngaged: true, vaeResult: "full", vaeDecidedOn: "2026-04-15" });
    const five = (await t.api("GET", "/api/dashboard?year=2026", region)).body.vae;
    assert.deepEqual(figure(five, "vaeValidated"), { ...figure(five, "vaeValidated"), value: 60, base: 5, status: "ok" }, "5 decided: shown");
    assert.deepEqual(figure(five, "vaePartial"), { ...figure(five, "vaePartial"), value: 20, base: 5, status: "ok" });
    // Order B's provider has no VAE: nothing engaged, nothing shown.
    const other = (await t.api("GET", `/api/dashboard?providerId=${old.providerId}`, region)).body.vae;
    assert.deepEqual([figure(other, "vaeEngaged").value, figure(other, "vaeValidated").base], [0, 0]);
    const page = await (await t.pageSession(fx.regionEmail)).get("/tableau-de-bord?year=2026");
    assert.match(page.html, /Taux de validation VAE totale/);
  });

  test("filters: no year counts both orders; the département, the component and the category narrow; a provider sees its own orders only", async () => {
    const all = (await t.api("GET", "/api/dashboard", region)).body;
    assert.equal(figure(all.organisation, "entries").value, 7);
    assert.equal(figure((await t.api("GET", "/api/dashboard?departement=81", region)).body.organisation, "entries").value, 0);
    assert.equal(figure((await t.api("GET", `/api/dashboard?componentId=${old.componentId}`, region)).body.organisation, "entries").value, 1);
    assert.equal(figure((await t.api("GET", "/api/dashboard?category=regulatory", region)).body.organisation, "entries").value, 0);
    const own = await t.api("GET", `/api/dashboard?providerId=${fx.providerId}`, await t.login(old.adminEmail));
    assert.equal(own.status, 200);
    assert.equal(figure(own.body.organisation, "entries").value, 1, "the provider's own order, whatever it asks");
    assert.equal((await t.api("GET", "/api/dashboard?year=abc", region)).status, 400);
  });

  test("exports: the dashboard in CSV for French Excel (BOM, ';', decimal comma) and XLSX", async () => {
    const s = await t.pageSession(fx.regionEmail);
    const page = await s.get("/tableau-de-bord?year=2026");
    assert.equal(page.status, 200);
    assert.match(page.html, /<svg class="chart" role="img"/);
    assert.match(page.html, /Données du graphique/);
    assert.match(page.html, /id="chart-exit-reasons-title"/);
    assert.match(page.html, /id="chart-exams-title"/);
    assert.match(page.html, /id="chart-employment-title"/);
    assert.match(page.html, /Taux de validation VAE totale/);
    const csv = await t.app.request("/tableau-de-bord.csv?year=2026", { headers: { authorization: `Bearer ${region}` } });
    const bytes = new Uint8Array(await csv.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    assert.match(text, /^Rubrique;Indicateur;Valeur;Unité;Base/);
    assert.match(text, /Sorties;Taux d'abandon;20;%;5;/);
    assert.match(text, /Sorties par motif;Sorties pour un emploi;1;personnes;1;/);
    assert.match(text, /Examens;Taux de réussite totale;40;%;5;/);
    assert.match(text, /VAE;Taux de validation VAE totale;60;%;5;/, "CP-KPI-VAE: set by the VAE test above");
    assert.match(text, /Emploi;Accès à l'emploi à 3 mois;masqué \(moins de 5 personnes\);%;4;/);
    assert.match(text, /Satisfaction;Réponses positives \(4 ou 5 sur 5\) sur la formation et l'accompagnement;65;%;5;/);
    assert.match(text, /Heures;Heures réalisées \(émargements prouvés et positionnement\);31;heures;6;/);
    const xlsx = await t.app.request("/tableau-de-bord.xlsx?year=2026", { headers: { authorization: `Bearer ${region}` } });
    assert.equal(xlsx.status, 200);
    assert.deepEqual([...new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)], [0x50, 0x4b], "a zip (XLSX)");
  });

  test("compliance board: CP-QUALIOPI for providers without a certificate, filtered by rule and provider, with a link; CSV export; Region only", async () => {
    const res = await t.api("GET", `/api/compliance?rule=CP-QUALIOPI&providerId=${fx.providerId}`, region);
    assert.equal(res.status, 200);
    // The provider's own line, and the warning carried onto each of its running orders.
    assert.ok(res.body.length >= 2);
    assert.ok(res.body.every((l: { article: string }) => l.article === "CCTP §1.7"));
    assert.ok(res.body.some((l: { href: string }) => l.href === `/organismes/${fx.providerId}`));
    assert.ok(res.body.some((l: { href: string }) => l.href === `/commandes/${fx.orderId}`));
    const all = (await t.api("GET", "/api/compliance?sort=rule", region)).body as { rule: string }[];
    assert.ok(all.some((l) => l.rule === "CP-REFERENTS"));
    assert.deepEqual(all.map((l) => l.rule), [...all.map((l) => l.rule)].sort((a, b) => a.localeCompare(b, "fr")));
    assert.equal((await t.api("GET", "/api/compliance", await t.login(fx.adminEmail))).status, 403);
    const s = await t.pageSession(fx.regionEmail);
    const page = await s.get("/conformite?rule=CP-QUALIOPI");
    assert.match(page.html, /CP-QUALIOPI/);
    const csv = await t.app.request("/conformite.csv", { headers: { authorization: `Bearer ${region}` } });
    const text = new TextDecoder().decode(new Uint8Array(await csv.arrayBuffer()).slice(3));
    assert.match(text, /^Règle;Article;Gravité;Organisme;Commande;Objet;Depuis;Constat;Lien/);
  });

  test("CP-ATTENDANCE-REALISED: realised minutes of March per trainee and category, JSON and CSV; declared presences apart; another provider's order 404", async () => {
    const res = await t.api("GET", `/api/orders/${fx.orderId}/realised-hours?month=2026-03`, region);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.version, 1);
    assert.equal(res.body.rows.length, 6, "the six entered paths (positioning in March), not the draft");
    const kpi4 = res.body.rows.find((r: { lastName: string }) => r.lastName === "Kpi4");
    assert.deepEqual(
      { centre: kpi4.centre, distance: kpi4.distance, total: kpi4.total, declared: kpi4.declared },
      { centre: 240, distance: 90, total: 330, declared: 60 },
    );
    const april = await t.api("GET", `/api/orders/${fx.orderId}/realised-hours?month=2026-04`, region);
    assert.equal(april.body.rows.length, 0);
    const csv = await t.app.request(`/api/orders/${fx.orderId}/realised-hours.csv?month=2026-03`, { headers: { authorization: `Bearer ${region}` } });
    const lines = new TextDecoder().decode(new Uint8Array(await csv.arrayBuffer()).slice(3)).trim().split("\r\n");
    assert.equal(lines.length, 7);
    assert.match(lines[0], /^version;commande;mois;parcours_id;stagiaire_id;nom;prenom/);
    const other = await t.api("GET", `/api/orders/${fx.orderId}/realised-hours?month=2026-03`, await t.login(old.adminEmail));
    assert.equal(other.status, 404);
  });
});
