// Company periods end to end through the use cases and the schedule's API: the agreement's three
// signatures gate company slots and company attendance; 70 h over every period; visit; abroad.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf, refused } from "../paths/testing.ts";
import { validatedPath } from "../schedule/testing.ts";
import { companyAndTutor, periodBody } from "./testing.ts";
import * as uc from "./use-cases.ts";

type Res = { status: number; body: { id?: string; code?: string; violations?: { code: string }[] } };
const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]);

describe("internships: company periods and their agreement", () => {
  let t: TestContext;
  let f: OrderFixture;
  let admin: string;
  const now = new Date("2026-03-01T09:00:00Z");

  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
    f = await createOrderFixture(t.db);
    admin = await t.login(f.adminEmail);
  });
  after(() => t?.close());

  const companySlot = (pathId: string, date: string, startTime = "09:00", endTime = "12:00") => ({ orderLineId: f.orderLineId, pathIds: [pathId], date, startTime, endTime, modality: "company", place: "Boulangerie Dupont" });
  const post = (body: unknown) => t.api("POST", "/api/slots", admin, body) as Promise<Res>;
  const token = (url?: string) => url!.split("/stage/")[1];

  test("CP-INTERNSHIP-AGREEMENT: the second signature does not open company slots, the third does; editing sends it back to signature", async () => {
    const p = await validatedPath(t.db, f, { firstName: "Alice", lastName: "Signe", company: 600, agreement: false });
    const { companyId, tutorId, admin: staff } = await companyAndTutor(t.db, f);
    assert.equal((await post(companySlot(p.pathId, "2026-03-09"))).body.code, "CP-INTERNSHIP-AGREEMENT", "no period at all");
    const { id, warnings } = await uc.createPeriod(t.db, staff, periodBody(p.pathId, { companyId, tutorId, trainerId: staff.userId }, { precontactOn: "" }));
    assert.deepEqual(warnings.map((w) => w.code), ["CP-TUTOR-PRECONTACT"]);
    await refused(uc.signAsProvider(t.db, staff, id, now), 409, "AGREEMENT-NOT-SENT");
    const urls = await uc.sendForSignature(t.db, staff, id, now, "http://test");
    const first = await uc.signByLink(t.db, now, token(urls.trainee), { signerName: "Alice Signe", accept: true });
    assert.equal(first.complete, false);
    const twice = await uc.signByLink(t.db, now, token(urls.trainee), { signerName: "Alice Signe", accept: true });
    assert.equal(twice.created, false, "signing twice is harmless");
    const second = await uc.signByLink(t.db, now, token(urls.tutor), { signerName: "Paul Tuteur", accept: true });
    assert.deepEqual([second.complete, second.missing], [false, ["provider"]]);
    const refusedSlot = await post(companySlot(p.pathId, "2026-03-09"));
    assert.equal(refusedSlot.status, 422);
    assert.equal(refusedSlot.body.code, "CP-INTERNSHIP-AGREEMENT");
    const third = await uc.signAsProvider(t.db, staff, id, now);
    assert.equal(third.complete, true);
    assert.equal((await post(companySlot(p.pathId, "2026-03-09"))).status, 201);
    // Each act is kept with the hash of the version signed.
    const sigs = await t.db.selectFrom("agreement_signature").selectAll().where("period_id", "=", id).execute();
    const hash = (await t.db.selectFrom("company_period").select("agreement_hash").where("id", "=", id).executeTakeFirstOrThrow()).agreement_hash;
    assert.equal(sigs.length, 3);
    assert.ok(sigs.every((s) => s.content_hash === hash && s.version === 1));
    // Editing the signed agreement sends it back to signature: no new company slot until re-signed.
    const edited = await uc.updatePeriod(t.db, staff, id, { ...periodBody(p.pathId, { companyId, tutorId, trainerId: staff.userId }), timetable: "Du lundi au jeudi, 9 h – 17 h" }, now, "http://test");
    assert.equal(edited.resent, true);
    assert.equal((await post(companySlot(p.pathId, "2026-03-10"))).body.code, "CP-INTERNSHIP-AGREEMENT");
    const mails = await t.db.selectFrom("notification").select(["recipient_email", "subject"]).where("entity_id", "=", id).execute();
    assert.ok(mails.some((m) => m.recipient_email === "tuteur@boulangerie.test"));
    // The old links were replaced.
    await refused(uc.linkContext(t.db, now, token(urls.tutor)), 410, "LINK_REPLACED");
  });

  test("CP-INTERNSHIP-AGREEMENT: a company hour is not signed while the agreement is not complete", async () => {
    const p = await validatedPath(t.db, f, { firstName: "Bruno", lastName: "Emarge", company: 600 });
    const slot = await post(companySlot(p.pathId, "2026-03-02", "09:00", "12:00"));
    assert.equal(slot.status, 201);
    const period = await t.db.selectFrom("company_period").select("id").where("path_id", "=", p.pathId).executeTakeFirstOrThrow();
    const staff = await actorOf(t.db, f.adminEmail);
    // The agreement goes back to signature…
    const body = { ...periodBody(p.pathId, { ...(await companyAndTutor(t.db, f)), trainerId: staff.userId }), plannedMinutes: 600, startDate: "2026-03-02", endDate: "2026-06-30", positionHeld: "Vendeur" };
    await uc.updatePeriod(t.db, staff, period.id, body, now, "http://test");
    // …so the trainer cannot mark the company hour present.
    t.clock.set("2026-03-02T13:00:00Z");
    const mark = (await t.api("POST", `/api/attendance/slots/${slot.body.id}/marks`, admin, { pathId: p.pathId, status: "present" })) as Res;
    assert.equal(mark.body.code, "CP-INTERNSHIP-AGREEMENT", JSON.stringify(mark.body));
    t.clock.set("2026-03-01T09:00:00Z");
  });

  test("CP-COMPANY-MAX-70H: two periods of 35 h pass (70 h), a second of 35 h 01 min is refused", async () => {
    const p = await validatedPath(t.db, f, { firstName: "Chloé", lastName: "Septante", company: 4200, agreement: false });
    const { companyId, tutorId, admin: staff } = await companyAndTutor(t.db, f);
    const ids = { companyId, tutorId, trainerId: staff.userId };
    await uc.createPeriod(t.db, staff, periodBody(p.pathId, ids, { plannedMinutes: 2100, startDate: "2026-03-02", endDate: "2026-03-31" }));
    const over = await refused(uc.createPeriod(t.db, staff, periodBody(p.pathId, ids, { plannedMinutes: 2101, startDate: "2026-04-01", endDate: "2026-04-30" })), 422, "CP-COMPANY-MAX-70H");
    assert.match(over.detail, /70 h/);
    await uc.createPeriod(t.db, staff, periodBody(p.pathId, ids, { plannedMinutes: 2100, startDate: "2026-04-01", endDate: "2026-04-30" }));
  });

  test("CP-INTERNSHIP-VISIT: closing without a visit is refused; with a recorded visit it closes", async () => {
    const p = await validatedPath(t.db, f, { firstName: "David", lastName: "Visite", company: 600 });
    const period = await t.db.selectFrom("company_period").select("id").where("path_id", "=", p.pathId).executeTakeFirstOrThrow();
    const staff = await actorOf(t.db, f.adminEmail);
    await uc.transitionPeriod(t.db, staff, period.id, "in_progress");
    await refused(uc.transitionPeriod(t.db, staff, period.id, "closed"), 422, "CP-INTERNSHIP-VISIT");
    await uc.recordVisit(t.db, staff, period.id, { plannedOn: "2026-03-10" });
    await refused(uc.transitionPeriod(t.db, staff, period.id, "closed"), 422, "CP-INTERNSHIP-VISIT");
    await uc.recordVisit(t.db, staff, period.id, { visitedOn: "2026-03-12", met: "Paul Tuteur et la stagiaire", observations: "Bonne intégration" });
    await uc.transitionPeriod(t.db, staff, period.id, "closed");
  });

  test("CP-INTERNSHIP-ABROAD: a period abroad does not start without both certificates; the Region may waive the visit", async () => {
    const p = await validatedPath(t.db, f, { firstName: "Emma", lastName: "Ailleurs", company: 600, agreement: false });
    const { companyId, tutorId, admin: staff } = await companyAndTutor(t.db, f);
    const { id } = await uc.createPeriod(t.db, staff, periodBody(p.pathId, { companyId, tutorId, trainerId: staff.userId }, { place: "abroad", country: "Espagne" }));
    const urls = await uc.sendForSignature(t.db, staff, id, now, "http://test");
    await uc.signByLink(t.db, now, token(urls.trainee), { signerName: "Emma", accept: true });
    await uc.signByLink(t.db, now, token(urls.tutor), { signerName: "Paul", accept: true });
    await uc.signAsProvider(t.db, staff, id, now);
    await uc.uploadCertificate(t.db, staff, id, "civil_liability", { filename: "rc.pdf", contentType: "application/pdf", bytes: PDF });
    await refused(uc.transitionPeriod(t.db, staff, id, "in_progress"), 422, "CP-INTERNSHIP-ABROAD");
    await uc.uploadCertificate(t.db, staff, id, "social_cover", { filename: "secu.pdf", contentType: "application/pdf", bytes: PDF });
    await uc.transitionPeriod(t.db, staff, id, "in_progress");
    await refused(uc.waiveVisit(t.db, staff, id, { reason: "Trop loin" }, now), 403, "FORBIDDEN");
    const region = await actorOf(t.db, f.regionEmail);
    await uc.waiveVisit(t.db, region, id, { reason: "Stage à Barcelone, suivi à distance" }, now);
    await uc.transitionPeriod(t.db, staff, id, "closed");
  });

  test("links: expired links are renewed by e-mail only; another provider's period is a 404", async () => {
    const p = await validatedPath(t.db, f, { firstName: "Farid", lastName: "Lien", company: 600, agreement: false });
    const { companyId, tutorId, admin: staff } = await companyAndTutor(t.db, f);
    const { id } = await uc.createPeriod(t.db, staff, periodBody(p.pathId, { companyId, tutorId, trainerId: staff.userId }));
    const urls = await uc.sendForSignature(t.db, staff, id, now, "http://test");
    const later = new Date(now.getTime() + 31 * 86_400_000);
    await refused(uc.linkContext(t.db, later, token(urls.tutor)), 410, "LINK_EXPIRED");
    await uc.renewLink(t.db, later, token(urls.tutor), "http://test");
    const renewed = await t.db.selectFrom("notification").select("body_text").where("entity_id", "=", id).where("subject", "like", "%nouveau lien%").executeTakeFirstOrThrow();
    const fresh = renewed.body_text.split("/stage/")[1].trim();
    assert.equal((await uc.linkContext(t.db, later, fresh)).party, "tutor");
    const other = await createOrderFixture(t.db);
    const stranger = await actorOf(t.db, other.adminEmail);
    await refused(uc.periodDetail(t.db, stranger, id), 404, "NOT_FOUND");
  });
});
