// « Mes documents »: a trainee sees their own certificates and signed presences, never another trainee's.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { addAttendance, addSlot } from "../ledger/testing.ts";
import { actorOf, mod, plan, position, register } from "../paths/testing.ts";
import { savePlan, validatePath } from "../paths/use-cases.ts";
import { issueCertificate } from "./use-cases.ts";

describe("the trainee's own documents (certificates, signed presences)", () => {
  let t: TestContext;
  let fx: OrderFixture;
  const certs: string[] = [];
  const people: { traineeId: string; pathId: string }[] = [];

  before(async () => {
    t = await createTestContext("2026-04-15T09:00:00Z");
    fx = await createOrderFixture(t.db);
    const admin = await actorOf(t.db, fx.adminEmail);
    for (const lastName of ["Mienne", "Autre"]) {
      const p = await register(t.db, admin, fx, { lastName });
      await position(t.db, admin, p.pathId, 240);
      await savePlan(t.db, admin, p.pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 1760)]));
      await validatePath(t.db, admin, p.pathId);
      const slotId = await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: lastName === "Mienne" ? "2026-03-10" : "2026-03-12", modality: "centre", minutes: 210, pathIds: [p.pathId] });
      await addAttendance(t.db, { slotId, pathId: p.pathId, minutes: 210 });
      certs.push((await issueCertificate(t.db, admin, t.clock, p.pathId, { from: "2026-03-01", to: "2026-03-31" })).id);
      people.push(p);
    }
    await createUser(t.db, { email: "mienne@exemple.fr", role: "trainee", traineeId: people[0]!.traineeId });
  });
  after(() => t.close());

  test("a trainee lists their own certificate and signed presence, not another trainee's; another's certificate download is 404", async () => {
    const token = await t.login("mienne@exemple.fr");
    const res = await t.api("GET", "/api/me/documents", token);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.certificates.map((c: { id: string }) => c.id), [certs[0]]);
    assert.equal(res.body.certificates[0].url, `/certificats/${certs[0]}/pdf`);
    assert.deepEqual(res.body.signedSlots.map((s: { date: string }) => s.date), ["2026-03-10"], "only their own line, not the other trainee's slot of the 12th");
    const own = await t.app.request(`/certificats/${certs[0]}/pdf`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(own.status, 200);
    assert.equal(own.headers.get("content-type"), "application/pdf");
    const other = await t.app.request(`/certificats/${certs[1]}/pdf`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(other.status, 404, "another trainee's certificate answers like an unknown one");
    assert.equal((await t.api("GET", `/api/certificates/${certs[1]}/pdf`, token)).status, 404);
    const page = await (await t.pageSession("mienne@exemple.fr")).get("/mes-documents");
    assert.equal(page.status, 200);
    assert.match(page.html, new RegExp(`/certificats/${certs[0]}/pdf`));
    assert.doesNotMatch(page.html, new RegExp(certs[1]!));
    assert.match(page.html, /10\/03\/2026/);
    assert.doesNotMatch(page.html, /12\/03\/2026/);
  });

  test("staff get no « Mes documents » (trainees only)", async () => {
    assert.equal((await t.api("GET", "/api/me/documents", await t.login(fx.adminEmail))).status, 403);
  });
});
