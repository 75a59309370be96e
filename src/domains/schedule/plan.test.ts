// The schedule answers to the plan (docs/adr/0009): a slot never puts more minutes of a modality on
// a trainee's schedule than the path plans (CP-PATH-READJUST), nor breaks the path caps on what the
// schedule would hold; a readjustment never falls below what is scheduled.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { usingPostgres } from "../../../test/support/db.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { newId } from "../../core/time.ts";
import { actorOf, company, mod, plan, refused } from "../paths/testing.ts";
import { evaluateSavedPath, savePlan } from "../paths/use-cases.ts";
import { validatedPath } from "./testing.ts";

type Res = { status: number; body: { id?: string; code?: string; detail?: string; violations?: { code: string; field?: string }[] } };

describe(`the schedule answers to the plan (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  let t: TestContext;
  let f: OrderFixture;
  let admin: string;

  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
    f = await createOrderFixture(t.db);
    admin = await t.login(f.adminEmail);
  });
  after(() => t?.close());

  const companySlot = (pathIds: string[], date: string, startTime: string, endTime: string) => ({ orderLineId: f.orderLineId, pathIds, date, startTime, endTime, modality: "company", place: "Boulangerie Dupont" });
  const selfStudy = (pathIds: string[], date: string, startTime: string, endTime: string) => ({
    orderLineId: f.orderLineId,
    pathIds,
    moduleId: f.moduleIds["Autoformation guidée"],
    date,
    startTime,
    endTime,
    modality: "self_study",
    selfStudyLocation: "remote",
    objectives: "Réviser le vocabulaire",
    deliverables: "Fiche de synthèse",
    resources: "Parcours en ligne",
  });
  const post = (body: unknown) => t.api("POST", "/api/slots", admin, body) as Promise<Res>;
  const created = (r: Res) => assert.equal(r.status, 201, JSON.stringify(r.body));

  test("CP-PATH-READJUST: 10 h planned in company, 10 h of company slots pass, 10 h 01 min is refused naming the rule", async () => {
    const p = await validatedPath(t.db, f, { firstName: "Alice", lastName: "Entreprise", company: 600 });
    created(await post(companySlot([p.pathId], "2026-03-09", "09:00", "14:00")));
    created(await post(companySlot([p.pathId], "2026-03-10", "09:00", "14:00")));
    const over = await post(companySlot([p.pathId], "2026-03-11", "09:00", "09:01"));
    assert.equal(over.status, 422);
    assert.equal(over.body.code, "CP-PATH-READJUST");
    assert.match(over.body.detail!, /Alice Entreprise : ce créneau porterait le planning en entreprise à 10 h 01 min, alors que le parcours en prévoit 10 h/);
    assert.equal(over.body.violations?.[0].field, "pathIds");
    // A modality the plan does not hold at all: 0 h planned, one minute refused.
    const gathering = await post({ ...companySlot([p.pathId], "2026-03-11", "09:00", "09:01"), modality: "gathering", siteId: f.siteId });
    assert.equal(gathering.body.code, "CP-PATH-READJUST");
  });

  test("CP-PATH-READJUST on the slot form: the French refusal names the rule, what was typed is kept", async () => {
    const p = await validatedPath(t.db, f, { firstName: "Jade", lastName: "Formulaire", company: 60 });
    const staff = await t.pageSession(f.adminEmail);
    const body = { orderLineId: f.orderLineId, pathIds: p.pathId, moduleId: "", modality: "company", date: "2026-03-12", startTime: "09:00", endTime: "10:01", siteId: "", trainerId: "", place: "Garage Martin" };
    const res = await staff.post("/planning/creneaux/nouveau", body);
    assert.equal(res.status, 422);
    assert.match(res.html, /<li data-code="CP-PATH-READJUST"><a href="#f-pathIds">Jade Formulaire : ce créneau porterait le planning en entreprise à 1 h 01 min, alors que le parcours en prévoit 1 h/);
    assert.match(res.html, /réajustez d&#39;abord le parcours|réajustez d'abord le parcours/);
    assert.match(res.html, /value="10:01"/);
    assert.match(res.html, /value="Garage Martin"/);
    assert.match(res.html, new RegExp(`value="${p.pathId}" checked`));
    assert.equal((await staff.post("/planning/creneaux/nouveau", { ...body, endTime: "10:00" })).status, 303);
  });

  test("CP-PATH-READJUST: a group slot is refused when one trainee's plan is full, and names that trainee", async () => {
    const roomy = await validatedPath(t.db, f, { firstName: "Bruno", lastName: "Large", company: 1200 });
    const full = await validatedPath(t.db, f, { firstName: "Chloé", lastName: "Pleine", company: 60 });
    created(await post(companySlot([full.pathId], "2026-03-09", "09:00", "10:00")));
    const group = await post(companySlot([roomy.pathId, full.pathId], "2026-03-10", "09:00", "10:00"));
    assert.equal(group.body.code, "CP-PATH-READJUST");
    assert.match(group.body.detail!, /Chloé Pleine/);
    assert.doesNotMatch(group.body.detail!, /Bruno Large/);
  });

  test("CP-PATH-READJUST: to schedule more, readjust the plan; a readjustment below what is scheduled is refused", async () => {
    const admin_ = await actorOf(t.db, f.adminEmail);
    const p = await validatedPath(t.db, f, { firstName: "David", lastName: "Réajusté", company: 600 });
    created(await post(companySlot([p.pathId], "2026-03-16", "09:00", "14:00")));
    created(await post(companySlot([p.pathId], "2026-03-17", "09:00", "14:00")));
    const m = f.moduleIds;
    const items = (companyMinutes: number) => [
      mod(m["Anglais général"], "centre", 4560),
      mod(m["Techniques de recherche d'emploi"], "centre", 840),
      mod(m["Usages numériques"], "centre", 600),
      mod(m["Autoformation guidée"], "self_study", 600),
      company(companyMinutes),
    ];
    const below = await refused(savePlan(t.db, admin_, p.pathId, plan(items(599), { reason: "Stage écourté" })), 422, "CP-PATH-READJUST");
    assert.match(below.detail, /Le planning compte déjà 10 h en entreprise pour ce parcours : le parcours réajusté ne peut pas en prévoir moins \(9 h 59 min saisies\)/);
    assert.equal(below.violations[0].field, "items");
    // Exactly what is scheduled passes; more makes room for one more slot.
    await savePlan(t.db, admin_, p.pathId, plan(items(600), { reason: "Sans changement d'heures" }));
    await savePlan(t.db, admin_, p.pathId, plan(items(660), { reason: "Stage prolongé d'une heure" }));
    created(await post(companySlot([p.pathId], "2026-03-18", "09:00", "10:00")));
    assert.equal((await post(companySlot([p.pathId], "2026-03-19", "09:00", "09:01"))).body.code, "CP-PATH-READJUST");
    // Removing the centre modules the schedule does not use is fine; removing company is not.
    await refused(savePlan(t.db, admin_, p.pathId, plan(items(0).slice(0, 4), { reason: "Sans stage" })), 422, "CP-PATH-READJUST");
  });

  test("CP-PATH-READJUST: a cancelled slot frees its minutes; a closed slot holds what the trainee realised on it", async () => {
    const p = await validatedPath(t.db, f, { firstName: "Emma", lastName: "Absente", company: 120 });
    const first = await post(companySlot([p.pathId], "2026-03-23", "09:00", "10:00"));
    const second = await post(companySlot([p.pathId], "2026-03-24", "09:00", "10:00"));
    created(first);
    created(second);
    assert.equal((await post(companySlot([p.pathId], "2026-03-25", "09:00", "10:00"))).body.code, "CP-PATH-READJUST");
    assert.equal((await t.api("POST", `/api/slots/${first.body.id}/cancel`, admin, { reason: "Entreprise fermée" })).status, 200);
    created(await post(companySlot([p.pathId], "2026-03-25", "09:00", "10:00")));
    // The second slot was closed with Emma absent: it holds 0 of her minutes, so one more hour fits.
    await t.db.updateTable("slot").set({ status: "closed" }).where("id", "=", second.body.id!).execute();
    await t.db.insertInto("attendance").values({ id: newId(), slot_id: second.body.id!, path_id: p.pathId, status: "absent", realised_minutes: 0, method: "trainer" }).execute();
    created(await post(companySlot([p.pathId], "2026-03-26", "09:00", "10:00")));
    assert.equal((await post(companySlot([p.pathId], "2026-03-27", "09:00", "09:01"))).body.code, "CP-PATH-READJUST");
  });

  test("CP-DISTANCE-MAX-50 on the schedule: remote self-study within the plan still counts as distance — exactly 50 % passes, one minute more fails", async () => {
    const m = f.moduleIds;
    // Centre minutes = 240 positioning + 3 440 in person + 1 200 self-study + D distance; self-study planned in centre.
    const items = (distance: number) => [
      mod(m["Anglais général"], "centre", 2000),
      mod(m["Techniques de recherche d'emploi"], "centre", 840),
      mod(m["Usages numériques"], "centre", 600),
      mod(m["Anglais à distance (tutorat)"], "distance", distance),
      mod(m["Autoformation guidée"], "self_study", 1200),
    ];
    // D = 2 480: 2 × (2 480 + 1 200) = 7 360 = 4 880 + 2 480, exactly 50 % once all self-study is remote.
    const exact = await validatedPath(t.db, f, { firstName: "Farid", lastName: "Exact", items: items(2480) });
    // D = 2 481: 1 199 remote minutes are the most that fit.
    const over = await validatedPath(t.db, f, { firstName: "Gaëlle", lastName: "Dépasse", items: items(2481) });
    for (const p of [exact, over]) {
      created(await post(selfStudy([p.pathId], "2026-04-13", "09:00", "16:00")));
      created(await post(selfStudy([p.pathId], "2026-04-14", "09:00", "16:00")));
    }
    created(await post(selfStudy([exact.pathId], "2026-04-15", "09:00", "15:00")));
    const refusedSlot = await post(selfStudy([over.pathId], "2026-04-15", "09:00", "15:00"));
    assert.equal(refusedSlot.body.code, "CP-DISTANCE-MAX-50");
    assert.match(refusedSlot.body.detail!, /Gaëlle Dépasse : Planning : la distance/);
    created(await post(selfStudy([over.pathId], "2026-04-15", "09:00", "14:59")));
  });

  test("CP-HYBRID-APPROVED: no distance slot once the Region no longer accepts the component's hybrid modality, even within the plan", async () => {
    const fx = await createOrderFixture(t.db);
    const p = await validatedPath(t.db, fx, {
      firstName: "Hugo",
      lastName: "Hybride",
      items: [mod(fx.moduleIds["Anglais général"], "centre", 4560), mod(fx.moduleIds["Techniques de recherche d'emploi"], "centre", 840), mod(fx.moduleIds["Anglais à distance (tutorat)"], "distance", 600)],
    });
    const fxAdmin = await t.login(fx.adminEmail);
    const distance = { orderLineId: fx.orderLineId, pathIds: [p.pathId], moduleId: fx.moduleIds["Anglais à distance (tutorat)"], date: "2026-03-10", startTime: "09:00", endTime: "10:00", modality: "distance", virtualRoomUrl: "https://classe.example/b1" };
    assert.equal((await t.api("POST", "/api/slots", fxAdmin, distance)).status, 201);
    await t.db.updateTable("component").set({ hybrid_status: "refused" }).where("id", "=", fx.componentId).execute();
    const r = (await t.api("POST", "/api/slots", fxAdmin, { ...distance, date: "2026-03-11" })) as Res;
    assert.equal(r.body.code, "CP-HYBRID-APPROVED");
    assert.match(r.body.detail!, /Hugo Hybride : Des heures à distance \(1 h\) ne peuvent être planifiées/);
    // Realised distance on it is shown on the path (and so in the order's findings for the Region).
    const slotId = (await t.db.selectFrom("slot_trainee").select("slot_id").where("path_id", "=", p.pathId).executeTakeFirstOrThrow()).slot_id;
    await t.db.updateTable("slot").set({ status: "closed" }).where("id", "=", slotId).execute();
    // A proved presence (the trainee's own signature): only proofs realise hours.
    await t.db.insertInto("attendance").values({ id: newId(), slot_id: slotId, path_id: p.pathId, status: "present", realised_minutes: 60, method: "remote", signed_at: new Date("2026-03-10T08:30:00Z"), signature: "data:image/png;base64,iVBORw0KGgo=" }).execute();
    const shown = await evaluateSavedPath(t.db, await actorOf(t.db, fx.regionEmail), p.pathId);
    assert.ok(shown.violations.some((v) => v.code === "CP-HYBRID-APPROVED" && /réalisées/.test(v.message)));
  });

  test("CP-PATH-READJUST under concurrent writers: two company slots that each fit but not together, and a slot racing a readjustment → exactly one passes", async () => {
    const admin_ = await actorOf(t.db, f.adminEmail);
    const p = await validatedPath(t.db, f, { firstName: "Inès", lastName: "Concurrente", company: 600 });
    const racing = (await Promise.all([post(companySlot([p.pathId], "2026-05-04", "09:00", "15:00")), post(companySlot([p.pathId], "2026-05-05", "09:00", "15:00"))])) as Res[];
    assert.deepEqual(racing.map((r) => (r.status === 201 ? "ok" : r.body.code)).sort(), ["CP-PATH-READJUST", "ok"]);
    const m = f.moduleIds;
    const items = [mod(m["Anglais général"], "centre", 4560), mod(m["Techniques de recherche d'emploi"], "centre", 840), mod(m["Usages numériques"], "centre", 600), mod(m["Autoformation guidée"], "self_study", 600), company(360)];
    // 6 h scheduled; a 4 h slot (→ 10 h) and a readjustment to 6 h: whichever comes first, the other is refused.
    const outcomes = await Promise.allSettled([post(companySlot([p.pathId], "2026-05-06", "09:00", "13:00")), savePlan(t.db, admin_, p.pathId, plan(items, { reason: "Stage raccourci" }))]);
    const slot = outcomes[0].status === "fulfilled" ? outcomes[0].value : undefined;
    const readjusted = outcomes[1].status === "fulfilled";
    assert.equal(slot?.status === 201, !readjusted, JSON.stringify(slot?.body));
    if (readjusted) assert.equal(slot?.body.code, "CP-PATH-READJUST");
    else assert.equal((outcomes[1] as PromiseRejectedResult).reason.code, "CP-PATH-READJUST");
  });
});
