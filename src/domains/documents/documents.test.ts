import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf, addLine, register } from "../paths/testing.ts";
import { addAttendance, addSlot } from "../ledger/testing.ts";
import { sheetData } from "./store.ts";

describe("documents: billing statement, certificates, attendance sheets", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let token: string;
  let admin: Awaited<ReturnType<typeof actorOf>>;
  before(async () => {
    t = await createTestContext();
    // Ordered volume: 1 trainee × 60 min centre = 60 min, at 12 €/h.
    fx = await createOrderFixture(t.db, { headcount: 1, centreMinutes: 60, companyMinutes: 0, unitPriceCents: 1200 });
    admin = await actorOf(t.db, fx.adminEmail);
    token = await t.login(fx.adminEmail);
  });
  after(() => t.close());

  const slot = (pathIds: string[], over: Partial<Parameters<typeof addSlot>[1]> = {}) =>
    addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-10", modality: "centre", pathIds, ...over });
  const billing = (month: string, format = "json") => t.api("GET", `/api/orders/${fx.orderId}/billing?month=${month}&format=${format}`, token);

  test("CP-BILLING-REALISED: exactly the ordered volume is billed uncapped; unsigned self-study is not billed", async () => {
    const { pathId } = await register(t.db, admin, fx);
    const s = await slot([pathId], { minutes: 60 });
    await addAttendance(t.db, { slotId: s, pathId, minutes: 60 });
    const ss = await slot([pathId], { date: "2026-03-11", modality: "self_study", minutes: 30 });
    await addAttendance(t.db, { slotId: ss, pathId, minutes: 30, signed: false, method: "trainer" });
    const res = await billing("2026-03");
    assert.equal(res.status, 200);
    assert.equal(res.body.realisedMinutes, 60, "unsigned self-study is neither realised nor billed (CP-SELFSTUDY-PRESENCE)");
    assert.equal(res.body.billableMinutes, 60);
    assert.equal(res.body.cappedMinutes, 0);
    assert.equal(res.body.amountCents, 1200);
    assert.deepEqual(res.body.violations, []);
  });

  test("CP-BILLING-REALISED: one minute over the ordered volume is capped, cumulatively over the months", async () => {
    const { pathId } = await register(t.db, admin, fx);
    const s = await slot([pathId], { minutes: 1 });
    await addAttendance(t.db, { slotId: s, pathId, minutes: 1 });
    const march = await billing("2026-03");
    assert.equal(march.body.realisedMinutes, 61);
    assert.equal(march.body.billableMinutes, 60);
    assert.equal(march.body.cappedMinutes, 1);
    assert.equal(march.body.uncappedAmountCents, 1220);
    assert.equal(march.body.amountCents, 1200);
    assert.equal(march.body.violations[0].code, "CP-BILLING-REALISED");
    const s2 = await slot([pathId], { date: "2026-04-07", minutes: 30 });
    await addAttendance(t.db, { slotId: s2, pathId, minutes: 30 });
    const april = await billing("2026-04");
    assert.equal(april.body.billableBeforeMinutes, 60);
    assert.equal(april.body.billableMinutes, 0, "March already used the whole ordered volume");
  });

  test("CP-EFORM-BILLING: group-hours on synchronous slots with at least one signature, counted once", async () => {
    const ef = await addLine(t.db, fx, { eFormation: true, headcount: 10, centreMinutes: 6000 });
    const a = await register(t.db, admin, fx, { orderLineId: ef.orderLineId });
    const b = await register(t.db, admin, fx, { orderLineId: ef.orderLineId });
    const add = (over: Partial<Parameters<typeof addSlot>[1]>) => addSlot(t.db, { providerId: fx.providerId, orderLineId: ef.orderLineId, date: "2026-05-05", modality: "distance", pathIds: [a.pathId, b.pathId], ...over });
    await add({ minutes: 120 }); // nobody signed: not billable
    const oneSigned = await add({ date: "2026-05-06", minutes: 90 });
    await addAttendance(t.db, { slotId: oneSigned, pathId: a.pathId, minutes: 90, method: "remote" });
    await addAttendance(t.db, { slotId: oneSigned, pathId: b.pathId, status: "absent" });
    const gathering = await add({ date: "2026-05-07", modality: "gathering", minutes: 210 });
    await addAttendance(t.db, { slotId: gathering, pathId: a.pathId, minutes: 210 });
    await addAttendance(t.db, { slotId: gathering, pathId: b.pathId, minutes: 210 });
    const selfStudy = await add({ date: "2026-05-08", modality: "self_study", location: "remote", minutes: 60 });
    await addAttendance(t.db, { slotId: selfStudy, pathId: a.pathId, minutes: 60, method: "self_study" });
    const res = await billing("2026-05");
    const line = res.body.lines.find((l: { orderLineId: string }) => l.orderLineId === ef.orderLineId);
    assert.equal(line.groupMinutes, 90 + 210);
    assert.equal(line.basisMinutes, 300);
    assert.equal(line.realised.total, 90 + 420 + 60, "trainee-minutes are still reported");
  });

  test("billing files: CSV has a BOM and ';' with decimal commas, XLSX opens with exceljs, PDF is a PDF", async () => {
    const csv = await t.app.request(`/api/orders/${fx.orderId}/billing?month=2026-03&format=csv`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(csv.status, 200);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    assert.match(text.split("\r\n")[0], /^Composante;Unité facturée;/);
    assert.match(text, /;1,02;/, "61 min = 1,02 h with a decimal comma");
    const xlsx = await t.app.request(`/api/orders/${fx.orderId}/billing?month=2026-03&format=xlsx`, { headers: { authorization: `Bearer ${token}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const ws = wb.worksheets[0];
    assert.match(String(ws.getCell("A1").value), /Relevé de facturation/);
    assert.equal(ws.getCell("A4").value, "Anglais professionnel (CECRL B1)");
    const pdf = await t.app.request(`/api/orders/${fx.orderId}/billing?month=2026-03&format=pdf`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(pdf.headers.get("content-type"), "application/pdf");
    assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), "%PDF-");
  });

  test("billing is scoped: another provider gets 404", async () => {
    const other = await createOrderFixture(t.db);
    const res = await t.api("GET", `/api/orders/${fx.orderId}/billing?month=2026-03`, await t.login(other.adminEmail));
    assert.equal(res.status, 404);
  });

  test("CP-CERTIFICATE-OF-COMPLETION: issued from the ledger, verified by its code; an unknown code is not genuine", async () => {
    const { pathId } = await register(t.db, admin, fx);
    const draft = await t.api("POST", `/api/paths/${pathId}/certificates`, token, {});
    assert.equal(draft.status, 409, "a draft path gets no certificate");
    await t.db.updateTable("path").set({ status: "validated" }).where("id", "=", pathId).execute();
    const s = await slot([pathId], { date: "2026-03-16", minutes: 210 });
    await addAttendance(t.db, { slotId: s, pathId, minutes: 200, status: "late", lateMinutes: 10 });
    const d = await slot([pathId], { date: "2026-03-17", modality: "distance", minutes: 90 });
    await addAttendance(t.db, { slotId: d, pathId, minutes: 90, method: "remote" });
    t.clock.set("2026-04-01T09:00:00Z"); // a certificate covers no day after today (CP-CERTIFICATE-OF-COMPLETION)
    token = await t.login(fx.adminEmail);
    const res = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-03-01", to: "2026-03-31" });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.content.minutes.total, 290);
    assert.equal(res.body.content.minutes.inPerson, 200);
    assert.equal(res.body.content.minutes.distance, 90);
    assert.ok(res.body.verificationCode.length >= 20);
    const ok = await t.api("GET", `/api/certificates/verify/${res.body.verificationCode}`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.genuine, true);
    assert.equal(ok.body.intact, true);
    assert.equal(ok.body.certificate.content.minutes.total, 290);
    const unknown = await t.api("GET", "/api/certificates/verify/AAAAAAAAAAAAAAAAAAAA");
    assert.deepEqual(unknown.body, { genuine: false });
    const page = await t.app.request(`/verifier/${res.body.verificationCode}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Certificat authentique/);
    const bad = await t.app.request("/verifier/AAAAAAAAAAAAAAAAAAAA");
    assert.equal(bad.status, 404);
    assert.match(await bad.text(), /non authentique/);
    // A stored content edited behind the application's back is detected.
    await t.db.updateTable("certificate").set({ minutes: JSON.stringify({ ...res.body.content, minutes: { ...res.body.content.minutes, total: 9999 } }) }).where("id", "=", res.body.id).execute();
    assert.equal((await t.api("GET", `/api/certificates/verify/${res.body.verificationCode}`)).body.intact, false);
    const pdf = await t.app.request(`/api/certificates/${res.body.id}/pdf`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(pdf.status, 200);
    assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), "%PDF-");
    const list = await t.api("GET", `/api/paths/${pathId}/certificates`, token);
    assert.equal(list.body.length, 1);
  });

  test("certificates are scoped: another provider 404, a trainer may not issue (403)", async () => {
    const { pathId } = await register(t.db, admin, fx);
    await t.db.updateTable("path").set({ status: "validated" }).where("id", "=", pathId).execute();
    const other = await createOrderFixture(t.db);
    assert.equal((await t.api("POST", `/api/paths/${pathId}/certificates`, await t.login(other.adminEmail), {})).status, 404);
    assert.equal((await t.api("GET", `/api/paths/${pathId}/certificates`, await t.login(other.adminEmail))).status, 404);
    await createUser(t.db, { email: "formateur@doc.test", role: "trainer", providerId: fx.providerId });
    assert.equal((await t.api("POST", `/api/paths/${pathId}/certificates`, await t.login("formateur@doc.test"), {})).status, 403);
  });

  test("certificate batch: progress reaches done and the PDF holds every certificate", async () => {
    const start = await t.api("POST", `/api/orders/${fx.orderId}/certificate-batches`, token, { from: "2026-03-01", to: "2026-03-31" });
    assert.equal(start.status, 202);
    assert.ok(start.body.total >= 1);
    let progress = start.body;
    for (let i = 0; i < 100; i++) {
      progress = (await t.api("GET", `/api/certificate-batches/${start.body.id}`, token)).body;
      if (progress.status !== "running") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(progress.status, "done");
    assert.equal(progress.done, start.body.total);
    const pdf = await t.app.request(`/api/certificate-batches/${start.body.id}/pdf`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(pdf.status, 200);
    const other = await createOrderFixture(t.db);
    assert.equal((await t.api("GET", `/api/certificate-batches/${start.body.id}`, await t.login(other.adminEmail))).status, 404);
  });

  test("attendance sheet PDF of a slot: own provider 200 (signatures, absences, countersignature), another provider 404", async () => {
    const a = await register(t.db, admin, fx);
    const b = await register(t.db, admin, fx);
    const trainerId = await createUser(t.db, { email: "formatrice@doc.test", role: "trainer", providerId: fx.providerId, fullName: "Élodie Façonnier" });
    const s = await slot([a.pathId, b.pathId], { date: "2026-03-18", trainerId });
    await addAttendance(t.db, { slotId: s, pathId: a.pathId });
    await addAttendance(t.db, { slotId: s, pathId: b.pathId, status: "absent" });
    await t.db.insertInto("countersignature").values({ slot_id: s, trainer_id: trainerId, signature: "data:image/svg+xml;base64," + Buffer.from('<svg viewBox="0 0 100 50"><path d="M1 1 L 90 40"/></svg>').toString("base64"), signed_at: new Date() }).execute();
    const res = await t.app.request(`/api/attendance-sheets/${s}/pdf`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    assert.equal(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString(), "%PDF-");
    const other = await createOrderFixture(t.db);
    assert.equal((await t.api("GET", `/api/attendance-sheets/${s}/pdf`, await t.login(other.adminEmail))).status, 404);
  });

  test("CP-ATTENDANCE (signed in time): the sheet dates a signature received after the slot's end by the server's receipt", async () => {
    const a = await register(t.db, admin, fx);
    const b = await register(t.db, admin, fx);
    const s = await slot([a.pathId, b.pathId], { date: "2026-03-19" }); // 09:00–12:30 Paris, 08:00–11:30 UTC
    await addAttendance(t.db, { slotId: s, pathId: a.pathId });
    await addAttendance(t.db, { slotId: s, pathId: b.pathId });
    const at = (pathId: string, iso: string) => t.db.updateTable("attendance").set({ signed_at: new Date("2026-03-19T08:10:00Z"), received_at: new Date(iso) }).where("slot_id", "=", s).where("path_id", "=", pathId).execute();
    await at(a.pathId, "2026-03-19T11:30:00Z"); // at the slot's end: the phone's time stands alone
    await at(b.pathId, "2026-03-19T11:30:01Z"); // one second after: the receipt is stated
    const data = await sheetData(t.db, s);
    const byName = new Map(data!.trainees.map((x) => [x.name, x]));
    const [ta, tb] = await Promise.all([a, b].map((p) => t.db.selectFrom("path").innerJoin("trainee", "trainee.id", "path.trainee_id").select(["first_name", "last_name"]).where("path.id", "=", p.pathId).executeTakeFirstOrThrow()));
    assert.equal(byName.get(`${ta.first_name} ${ta.last_name}`)!.receivedAfterEnd, null);
    assert.equal(byName.get(`${tb.first_name} ${tb.last_name}`)!.receivedAfterEnd?.toISOString(), "2026-03-19T11:30:01.000Z");
  });

  test("pages: the certificates page issues one (303) and re-renders a bad period with 422; the billing page and /documents render", async () => {
    const { pathId } = await register(t.db, admin, fx);
    await t.db.updateTable("path").set({ status: "validated" }).where("id", "=", pathId).execute();
    const page = await t.pageSession(fx.adminEmail);
    const bad = await page.post(`/parcours/${pathId}/certificats`, { from: "2026-03-31", to: "2026-03-01" });
    assert.equal(bad.status, 422);
    assert.match(bad.html, /La fin de la période précède son début/);
    const ok = await page.post(`/parcours/${pathId}/certificats`, { from: "2026-03-01", to: "2026-03-31" });
    assert.equal(ok.status, 303);
    assert.match((await page.get(`/parcours/${pathId}/certificats?ok=1`)).html, /Télécharger le PDF/);
    const statement = await page.get(`/commandes/${fx.orderId}/facturation/2026-03`);
    assert.equal(statement.status, 200);
    assert.match(statement.html, /Total facturable du mois/);
    const docs = await page.get("/documents");
    assert.equal(docs.status, 200);
    assert.match(docs.html, /Émettre les certificats d(&#39;|')une commande/);
  });
});

describe("realised hours on the path and order pages", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  test("/parcours/:id shows « Heures réalisées » and absences; /commandes/:id links the month's billing statement", async () => {
    const fx = await createOrderFixture(t.db);
    const admin = await actorOf(t.db, fx.adminEmail);
    const { pathId } = await register(t.db, admin, fx);
    const s = await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-10", modality: "centre", pathIds: [pathId] });
    await addAttendance(t.db, { slotId: s, pathId, minutes: 210 });
    const s2 = await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-11", modality: "centre", pathIds: [pathId] });
    await addAttendance(t.db, { slotId: s2, pathId, status: "absent" });
    const page = await t.pageSession(fx.adminEmail);
    const path = await page.get(`/parcours/${pathId}`);
    assert.equal(path.status, 200);
    assert.match(path.html, /Heures réalisées/);
    assert.match(path.html, /3 h 30 min/);
    assert.match(path.html, /1 non justifiée/);
    const order = await page.get(`/commandes/${fx.orderId}`);
    assert.match(order.html, /facturation\/2026-03/);
  });
});
