import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, createUser, TEST_PASSWORD, type TestContext } from "../../../test/support/app.ts";
import { startTestSmtpServer } from "../../../test/support/smtp.ts";
import type { Actor } from "../../core/auth/actor.ts";
import { DomainError } from "../../core/errors.ts";
import { notificationsFor } from "../../core/notifications/index.ts";
import { createMailTransport, runSenderOnce } from "../../core/notifications/sender.ts";
import { newId } from "../../core/time.ts";
import * as uc from "./use-cases.ts";

const CAP_EMPLOI = "57e88408-cf9c-4bc6-bca3-c0bf5eb2b6ae";
const PLIE_EST = "ba912f4c-e14e-4f30-bc43-59fcc3d735c4";

describe("authorised prescribers (CP-PRESCRIBERS, CCTP §2.2)", () => {
  let t: TestContext;
  let region: Actor;
  let regionToken: string;
  let adminToken: string;
  const providerA = newId();
  const providerB = newId();

  before(async () => {
    t = await createTestContext();
    await t.db
      .insertInto("provider")
      .values([
        { id: providerA, name: "Organisme A", siret: "73282932000074" },
        { id: providerB, name: "Organisme B", siret: "35600000000048" },
      ])
      .execute();
    const regionId = await createUser(t.db, { email: "region@example.fr", role: "region_officer", fullName: "Claire Région" });
    await createUser(t.db, { email: "admin-a@example.fr", role: "provider_admin", providerId: providerA, fullName: "Alice Admin" });
    await createUser(t.db, { email: "admin-a2@example.fr", role: "provider_admin", providerId: providerA });
    await createUser(t.db, { email: "admin-b@example.fr", role: "provider_admin", providerId: providerB });
    const gone = await createUser(t.db, { email: "ancien-admin@example.fr", role: "provider_admin", providerId: providerB });
    await t.db.updateTable("app_user").set({ active: false }).where("id", "=", gone).execute();
    await createUser(t.db, { email: "referent-a@example.fr", role: "pedagogical_referent", providerId: providerA });
    region = { userId: regionId, role: "region_officer", fullName: "Claire Région", email: "region@example.fr", providerId: null, prescriberOrganisationId: null, traineeId: null };
    regionToken = await t.login("region@example.fr");
    adminToken = await t.login("admin-a@example.fr");
  });
  after(() => t.close());

  const notified = async (organisationId: string) => (await notificationsFor(t.db, "prescriber_organisation", organisationId)).map((n) => n.recipientEmail).sort();

  test("CP-PRESCRIBERS: the seeded CCTP §2.2 list is the current list", async () => {
    const list = await uc.listAuthorisedPrescribers(t.db);
    assert.equal(list.length, 37);
    assert.ok(list.some((o) => o.name === "Cap Emploi"));
    const ok = await uc.requireAuthorisedPrescriber(t.db, CAP_EMPLOI);
    assert.equal(ok.name, "Cap Emploi");
  });

  test("CP-PRESCRIBERS: a withdrawn organisation is refused by requireAuthorisedPrescriber (422, CCTP §2.2), restored it is accepted again", async () => {
    await uc.withdrawPrescriberAuthorisation(t.db, region, PLIE_EST);
    const error = await uc.requireAuthorisedPrescriber(t.db, PLIE_EST).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof DomainError);
    assert.equal(error.code, "CP-PRESCRIBERS");
    assert.equal(error.status, 422);
    assert.equal(error.violations[0].article, "CCTP §2.2");
    assert.match(error.detail, /PLIE Est Héraultais.*ne figure plus/);
    assert.ok(!(await uc.listAuthorisedPrescribers(t.db)).some((o) => o.id === PLIE_EST));

    await uc.restorePrescriberAuthorisation(t.db, region, PLIE_EST);
    assert.equal((await uc.requireAuthorisedPrescriber(t.db, PLIE_EST)).id, PLIE_EST);
  });

  test("CP-PRESCRIBERS: an unknown, malformed or missing organisation is refused", async () => {
    for (const id of [newId(), "pas-un-uuid", null, undefined]) {
      await assert.rejects(uc.requireAuthorisedPrescriber(t.db, id), (e: unknown) => e instanceof DomainError && e.code === "CP-PRESCRIBERS" && e.status === 422);
    }
  });

  test("CP-PRESCRIBERS: a change to the list notifies every active provider admin, and no one else, in the same transaction", async () => {
    const created = await uc.createPrescriberOrganisation(t.db, region, { name: "Mission Locale du Lot", kind: "mission_locale" });
    assert.deepEqual(await notified(created.id), ["admin-a2@example.fr", "admin-a@example.fr", "admin-b@example.fr"]);
    const [first] = await notificationsFor(t.db, "prescriber_organisation", created.id);
    assert.equal(first.status, "pending");
    assert.match(first.body, /ajout de « Mission Locale du Lot » \(Mission Locale\)/);

    await uc.updatePrescriberOrganisation(t.db, region, created.id, { name: "Mission Locale du Lot (Cahors)", authorised: false });
    const messages = await notificationsFor(t.db, "prescriber_organisation", created.id);
    assert.equal(messages.length, 6);
    const last = messages.find((m) => m.recipientEmail === "admin-b@example.fr" && /retrait/.test(m.body));
    assert.ok(last, "the withdrawal is told");
    assert.match(last.body, /« Mission Locale du Lot » s'appelle désormais « Mission Locale du Lot \(Cahors\) »/);
  });

  test("CP-PRESCRIBERS: a change that changes nothing, or is refused, notifies no one", async () => {
    const before = (await notificationsFor(t.db, "prescriber_organisation", CAP_EMPLOI)).length;
    await uc.updatePrescriberOrganisation(t.db, region, CAP_EMPLOI, { name: "Cap Emploi", authorised: true });
    await assert.rejects(
      uc.updatePrescriberOrganisation(t.db, region, CAP_EMPLOI, { name: "Association Pour l'Emploi des Cadres (APEC)" }),
      (e: unknown) => e instanceof DomainError && e.code === "PRESCRIBER_NAME_TAKEN" && e.status === 409,
    );
    assert.equal((await notificationsFor(t.db, "prescriber_organisation", CAP_EMPLOI)).length, before);
  });

  test("CP-PRESCRIBERS: the providers' notifications go out once over real SMTP", async () => {
    const smtp = await startTestSmtpServer();
    try {
      const transport = createMailTransport(smtp.url);
      await runSenderOnce(t.db, t.clock, transport, { log: () => {}, limit: 500 }); // flush earlier tests' messages
      smtp.received.length = 0;
      const created = await uc.createPrescriberOrganisation(t.db, region, { name: "PLIE du Grand Narbonne", kind: "plie" });
      const result = await runSenderOnce(t.db, t.clock, transport, { log: () => {} });
      assert.equal(result.sent, 3);
      assert.deepEqual(smtp.received.flatMap((m) => m.to).sort(), ["admin-a2@example.fr", "admin-a@example.fr", "admin-b@example.fr"]);
      assert.match(smtp.received[0].subject, /liste des prescripteurs habilités a changé/);
      assert.match(smtp.received[0].text, /PLIE du Grand Narbonne/);
      assert.equal((await runSenderOnce(t.db, t.clock, transport, { log: () => {} })).sent, 0);
      assert.ok((await notificationsFor(t.db, "prescriber_organisation", created.id)).every((n) => n.status === "sent"));
    } finally {
      await smtp.stop();
    }
  });

  test("API: the Region adds, renames and withdraws; duplicates are refused (409)", async () => {
    const created = await t.api("POST", "/api/prescriber-organisations", regionToken, { name: "EREF Test", kind: "eref" });
    assert.equal(created.status, 201);
    assert.equal(created.body.authorised, true);
    const dup = await t.api("POST", "/api/prescriber-organisations", regionToken, { name: "eref test", kind: "eref" });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, "PRESCRIBER_NAME_TAKEN");
    const bad = await t.api("POST", "/api/prescriber-organisations", regionToken, { name: "", kind: "inconnu" });
    assert.equal(bad.status, 400);
    const patched = await t.api("PATCH", `/api/prescriber-organisations/${created.body.id}`, regionToken, { name: "EREF Test renommé", authorised: false });
    assert.equal(patched.status, 200);
    assert.deepEqual({ name: patched.body.name, authorised: patched.body.authorised }, { name: "EREF Test renommé", authorised: false });
    const all = await t.api("GET", "/api/prescriber-organisations", regionToken);
    assert.ok(all.body.some((o: { id: string; authorised: boolean }) => o.id === created.body.id && !o.authorised));
    const spec = await t.api("GET", "/api/openapi.json");
    assert.ok(spec.body.paths["/api/prescriber-organisations/{id}"].patch);
    assert.ok(spec.body.paths["/api/mailbox"].get);
  });

  test("API access: providers read the current list only and cannot change it (403); unknown id 404", async () => {
    const list = await t.api("GET", "/api/prescriber-organisations", adminToken);
    assert.equal(list.status, 200);
    assert.ok(list.body.every((o: { authorised: boolean }) => o.authorised));
    assert.equal((await t.api("POST", "/api/prescriber-organisations", adminToken, { name: "Pirate", kind: "other" })).status, 403);
    assert.equal((await t.api("PATCH", `/api/prescriber-organisations/${CAP_EMPLOI}`, adminToken, { authorised: false })).status, 403);
    assert.equal((await t.api("GET", `/api/prescriber-organisations/${CAP_EMPLOI}`, adminToken)).status, 403);
    assert.equal((await t.api("GET", `/api/prescriber-organisations/${newId()}`, regionToken)).status, 404);
    assert.equal((await t.api("GET", "/api/prescriber-organisations")).status, 401);
  });

  test("advisers: the Region opens an adviser's account; the adviser logs in as a prescriber of that organisation", async () => {
    const res = await t.api("POST", `/api/prescriber-organisations/${CAP_EMPLOI}/advisers`, regionToken, {
      email: "Conseiller@CapEmploi.fr",
      fullName: "Paul Conseiller",
      password: TEST_PASSWORD,
    });
    assert.equal(res.status, 201);
    const token = await t.login("conseiller@capemploi.fr");
    const me = await t.api("GET", "/api/me", token);
    assert.equal(me.body.role, "prescriber");
    assert.equal((await t.api("POST", `/api/prescriber-organisations/${CAP_EMPLOI}/advisers`, regionToken, { email: "conseiller@capemploi.fr", fullName: "X", password: TEST_PASSWORD })).status, 409);
    assert.equal((await t.api("POST", `/api/prescriber-organisations/${CAP_EMPLOI}/advisers`, regionToken, { email: "x@capemploi.fr", fullName: "X", password: "court" })).status, 400);
    const detail = await t.api("GET", `/api/prescriber-organisations/${CAP_EMPLOI}`, regionToken);
    assert.deepEqual(detail.body.advisers.map((a: { email: string }) => a.email), ["conseiller@capemploi.fr"]);
  });

  test("pages: the Region's list and forms work without JS; errors are shown next to the field (422); providers read only", async () => {
    const page = await t.pageSession("region@example.fr");
    const list = await page.get("/prescripteurs");
    assert.equal(list.status, 200);
    assert.match(list.html, /Cap Emploi/);
    assert.match(list.html, /<th scope="col">Organisme<\/th>/);

    const created = await page.post("/prescripteurs", { name: "Service Emploi de Muret", kind: "local_employment_service" });
    assert.equal(created.status, 303);
    const row = await t.db.selectFrom("prescriber_organisation").select("id").where("name", "=", "Service Emploi de Muret").executeTakeFirstOrThrow();
    assert.equal((await notified(row.id)).length, 3);

    const refused = await page.post("/prescripteurs", { name: "Cap Emploi", kind: "cap_emploi" });
    assert.equal(refused.status, 422);
    assert.match(refused.html, /figure déjà dans la liste/);
    assert.match(refused.html, /value="Cap Emploi"/);

    const withdraw = await page.post(`/prescripteurs/${row.id}/habilitation`, { authorised: "false" });
    assert.equal(withdraw.status, 303);
    const detail = await page.get(`/prescripteurs/${row.id}`);
    assert.match(detail.html, /Habilitation retirée/);
    assert.match(detail.html, /Rétablir l&#39;habilitation|Rétablir l'habilitation/);
    assert.match(detail.html, /admin-b@example\.fr/);

    const adviser = await page.post(`/prescripteurs/${row.id}/conseillers`, { fullName: "Inès", email: "pas-une-adresse", password: "x" });
    assert.equal(adviser.status, 422);
    assert.match(adviser.html, /Adresse e-mail invalide/);

    const provider = await t.pageSession("admin-a@example.fr");
    const readOnly = await provider.get("/prescripteurs");
    assert.equal(readOnly.status, 200);
    assert.doesNotMatch(readOnly.html, /Service Emploi de Muret/); // withdrawn: not on the current list
    assert.doesNotMatch(readOnly.html, /Ajouter l&#39;organisme|Ajouter l'organisme/);
    assert.equal((await provider.post("/prescripteurs", { name: "Pirate", kind: "other" })).status, 403);
    assert.equal((await provider.get(`/prescripteurs/${row.id}`)).status, 403);
  });
});
