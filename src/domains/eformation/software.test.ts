// Software for the access-site PCs (CP-EFORM-SOFTWARE-5W): sent with its technical sheet, judged on Paris
// dates with the injected clock, validated by the Region with its licences.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type PageSession, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import type { Actor } from "../../core/auth/actor.ts";
import { DomainError } from "../../core/errors.ts";
import { newId } from "../../core/time.ts";
import { actorOf } from "../paths/testing.ts";
import * as uc from "./use-cases.ts";

const PDF = { filename: "fiche.pdf", contentType: "application/pdf", bytes: new Uint8Array(Buffer.from("%PDF-1.4 fiche technique")) };
const SOFT = { name: "GanttProject", version: "3.3", licence: "Libre (GPL)", windows10_64: true, office2016: true };

describe("e-formation software (CP-EFORM-SOFTWARE-5W)", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let admin: Actor;
  let region: Actor;
  let sessionId: string;
  let provider: PageSession;
  let regionPage: PageSession;

  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    fx = await createOrderFixture(t.db, { eFormation: true });
    admin = await actorOf(t.db, fx.adminEmail);
    region = await actorOf(t.db, fx.regionEmail);
    sessionId = newId();
    // Starts Monday 6 April 2026: the software is due on Monday 2 March (day 35 before), licences by 22 March.
    await t.db.insertInto("session").values({ id: sessionId, provider_id: fx.providerId, order_line_id: fx.orderLineId, site_id: null, start_date: "2026-04-06", end_date: "2026-07-10", places: 16 }).execute();
    provider = await t.pageSession(fx.adminEmail);
    regionPage = await t.pageSession(fx.regionEmail);
  });
  after(() => t.close());

  const warnings = async () => (await uc.softwareStatus(t.db, await uc.getSession(t.db, region, sessionId), uc.parisToday(t.clock))).warnings.map((w) => w.code);

  test("CP-EFORM-SOFTWARE-5W: on day 35 before the start nothing is warned; at 00:30 in Paris on day 34 (23:30 UTC the day before) it is", async () => {
    t.clock.set("2026-03-02T09:00:00Z");
    assert.deepEqual(await warnings(), []);
    t.clock.set("2026-03-02T22:59:00Z"); // 23:59 in Paris: still day 35
    assert.deepEqual(await warnings(), []);
    t.clock.set("2026-03-02T23:30:00Z"); // 00:30 in Paris on 3 March: day 34
    assert.deepEqual(await warnings(), ["CP-EFORM-SOFTWARE-5W"]);
    const page = await provider.get(`/eformation/sessions/${sessionId}`);
    assert.match(page.html, /Aucun logiciel transmis à la Région/);
  });

  test("CP-EFORM-SOFTWARE-5W: a software not declared compatible with Windows 10 64-bit and Office 2016, or without a real technical sheet, is refused", async () => {
    await assert.rejects(uc.submitSoftware(t.db, admin, t.clock, sessionId, { ...SOFT, office2016: false }, PDF), (e: unknown) => e instanceof DomainError && e.code === "SOFTWARE_INCOMPATIBLE");
    await assert.rejects(uc.submitSoftware(t.db, admin, t.clock, sessionId, SOFT, undefined), (e: unknown) => e instanceof DomainError && e.code === "ATTACHMENT");
    const fake = { filename: "fiche.pdf", contentType: "application/pdf", bytes: new Uint8Array(Buffer.from("MZ not a pdf")) };
    await assert.rejects(uc.submitSoftware(t.db, admin, t.clock, sessionId, SOFT, fake), (e: unknown) => e instanceof DomainError && e.code === "ATTACHMENT");
    await assert.rejects(uc.submitSoftware(t.db, admin, t.clock, sessionId, { ...SOFT, name: "x".repeat(201) }, PDF), (e: unknown) => e instanceof DomainError && e.status === 400);
    await assert.rejects(uc.submitSoftware(t.db, region, t.clock, sessionId, SOFT, PDF), (e: unknown) => e instanceof DomainError && e.status === 403);
  });

  test("CP-EFORM-SOFTWARE-5W: sent on day 34 it is late; the Region validates it with licences on day 15 before: on time; the sheet is downloadable", async () => {
    t.clock.set("2026-03-03T08:00:00Z");
    const id = await uc.submitSoftware(t.db, admin, t.clock, sessionId, SOFT, PDF);
    const late = await uc.softwareStatus(t.db, await uc.getSession(t.db, region, sessionId), "2026-03-03");
    assert.equal(late.warnings.length, 1);
    assert.match(late.warnings[0].message, /après le 02\/03\/2026/);
    t.clock.set("2026-03-23T08:00:00Z"); // day 14 before: pending, warned
    assert.equal((await warnings()).length, 2);
    t.clock.set("2026-03-22T08:00:00Z"); // day 15 before
    regionPage = await t.pageSession(fx.regionEmail); // sessions last a week
    provider = await t.pageSession(fx.adminEmail);
    const refusedBare = await regionPage.post(`/eformation/logiciels/${id}/decision`, { decision: "refused" });
    assert.equal(refusedBare.status, 422, `${refusedBare.location} ${refusedBare.html.slice(0, 300)}`);
    assert.match(refusedBare.html, /Un refus est motivé/);
    const ok = await regionPage.post(`/eformation/logiciels/${id}/decision`, { decision: "validated", licencesProvided: "1" });
    assert.equal(ok.status, 303);
    const row = await t.db.selectFrom("eformation_software").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    assert.equal(row.status, "validated");
    assert.equal(row.licences_provided, true);
    const again = await regionPage.post(`/eformation/logiciels/${id}/decision`, { decision: "refused", note: "Non" });
    assert.equal(again.status, 422);
    assert.match(again.html, /déjà été décidé/);
    const sheet = await provider.get(`/eformation/logiciels/${id}/fiche`);
    assert.equal(sheet.status, 200);
    assert.match(sheet.html, /%PDF/);
    const asProvider = await provider.post(`/eformation/logiciels/${id}/decision`, { decision: "validated" });
    assert.equal(asProvider.status, 403);
    t.clock.set("2026-03-30T08:00:00Z");
    assert.equal((await warnings()).length, 1, "only the late sending remains");
  });

  test("another provider's session and software answer as unknown ones", async () => {
    const other = await createOrderFixture(t.db, { eFormation: true });
    const otherAdmin = await actorOf(t.db, other.adminEmail);
    await assert.rejects(uc.getSession(t.db, otherAdmin, sessionId), (e: unknown) => e instanceof DomainError && e.status === 404);
    const [soft] = await t.db.selectFrom("eformation_software").select("id").execute();
    await assert.rejects(uc.softwareSheet(t.db, otherAdmin, soft.id), (e: unknown) => e instanceof DomainError && e.status === 404);
  });
});
