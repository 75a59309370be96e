// CP-PROTOCOL: the individual training protocol of an e-formation path — generated from the path,
// signed by the provider (in the app) and the trainee (personal link), frozen once signed, as a PDF.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { newId } from "../../core/time.ts";
import { addSlot } from "../ledger/testing.ts";
import { actorOf } from "../paths/testing.ts";
import { protocolPdf } from "./protocol-pdf.ts";

const NOW = "2026-03-02T09:00:00Z";

describe("CP-PROTOCOL: individual training protocol", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let other: OrderFixture;
  let plain: OrderFixture;
  let provider: string;
  let stranger: string;

  /** A validated path with a plan (tutorat, remote self-study, a gathering), its positioning and one slot. */
  async function makePath(f: OrderFixture, email: string | null = `ines.${newId().slice(0, 6)}@example.org`) {
    const traineeId = newId();
    await t.db.insertInto("trainee").values({ id: traineeId, provider_id: f.providerId, first_name: "Inès", last_name: "Roux", birth_date: "1990-01-01", email }).execute();
    const pathId = newId();
    await t.db.insertInto("path").values({ id: pathId, trainee_id: traineeId, order_id: f.orderId, order_line_id: f.orderLineId, provider_id: f.providerId, site_id: f.siteId, status: "validated", entry_date: "2026-03-17", planned_exit_date: "2026-06-30" }).execute();
    await t.db
      .insertInto("path_item")
      .values([
        { id: newId(), path_id: pathId, label: "Classes virtuelles", modality: "distance", planned_minutes: 6000, position: 1 },
        { id: newId(), path_id: pathId, label: "Travail en autonomie", modality: "self_study", self_study_location: "remote", planned_minutes: 9000, position: 2 },
        { id: newId(), path_id: pathId, label: "Journée d'accueil", modality: "gathering", planned_minutes: 420, position: 3 },
      ])
      .execute();
    await t.db.insertInto("positioning").values({ path_id: pathId, minutes: 180, evaluations: "Tests écrits de français et de mathématiques", recommended_methods: "Classes virtuelles en petit groupe", recorded_at: new Date(NOW) }).execute();
    await addSlot(t.db, { providerId: f.providerId, orderLineId: f.orderLineId, date: "2026-03-18", modality: "distance", pathIds: [pathId] });
    return { pathId, traineeId };
  }
  const tokenOf = (link: string) => link.split("/protocole/")[1];

  before(async () => {
    t = await createTestContext(NOW);
    fx = await createOrderFixture(t.db, { eFormation: true });
    other = await createOrderFixture(t.db, { eFormation: true });
    plain = await createOrderFixture(t.db);
    provider = await t.login(fx.adminEmail);
    stranger = await t.login(other.adminEmail);
  });
  after(() => t.close());

  test("CP-PROTOCOL: generated from the path — calendar, modalities, estimated work time, evaluation modes — with its hash", async () => {
    const { pathId } = await makePath(fx);
    const gen = await t.api("POST", `/api/eformation/paths/${pathId}/protocol`, provider);
    assert.equal(gen.status, 200);
    assert.equal(gen.body.version, 1);
    assert.match(gen.body.contentHash, /^[0-9a-f]{64}$/);
    assert.match(gen.body.link, /\/protocole\//);
    const v = await t.api("GET", `/api/eformation/paths/${pathId}/protocol`, provider);
    assert.equal(v.status, 200);
    assert.equal(v.body.status, "draft");
    const ct = v.body.protocol.content;
    assert.deepEqual(ct.calendar.slots, [{ date: "2026-03-18", start: "09:00", end: "12:30", modality: "distance" }]);
    assert.equal(ct.calendar.entryDate, "2026-03-17");
    assert.deepEqual(ct.modalities, [
      { modality: "distance", minutes: 6000 },
      { modality: "self_study", minutes: 9000 },
      { modality: "gathering", minutes: 420 },
    ]);
    assert.equal(ct.workTime.totalMinutes, 15420);
    assert.equal(ct.workTime.selfStudyMinutes, 9000);
    assert.equal(ct.workTime.selfStudyRemoteMinutes, 9000);
    assert.ok(ct.evaluations.some((e: string) => /Tests écrits de français/.test(e)));
    const again = await t.api("POST", `/api/eformation/paths/${pathId}/protocol`, provider);
    assert.equal(again.body.changed, false, "the same content is not a new protocol");
    assert.equal(again.body.version, 1);
    assert.notEqual(again.body.link, gen.body.link, "the trainee, not signed yet, gets a fresh link");
    assert.equal((await t.api("POST", `/api/eformation/protocol-links/${tokenOf(gen.body.link)}/sign`, undefined, { signerName: "Inès Roux", accept: true })).status, 410);
  });

  test("CP-PROTOCOL: a path outside e-formation is refused with a French message", async () => {
    const { pathId } = await makePath(plain);
    const refused = await t.api("POST", `/api/eformation/paths/${pathId}/protocol`, await t.login(plain.adminEmail));
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "CP-PROTOCOL");
    assert.match(refused.body.detail, /n'est pas en e-formation/);
  });

  test("CP-PROTOCOL: the provider signs in the app, the trainee by link (draft → provider_signed → signed), both recorded with their time; signing twice is refused", async () => {
    const { pathId } = await makePath(fx);
    const gen = await t.api("POST", `/api/eformation/paths/${pathId}/protocol`, provider);
    const page = await t.app.request(`/protocole/${tokenOf(gen.body.link)}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Modes d&#39;évaluation/);
    const staff = await t.api("POST", `/api/eformation/paths/${pathId}/protocol/sign`, provider);
    assert.equal(staff.status, 200);
    assert.equal(staff.body.status, "provider_signed");
    const twice = await t.api("POST", `/api/eformation/paths/${pathId}/protocol/sign`, provider);
    assert.equal(twice.status, 409);
    assert.equal(twice.body.code, "CP-PROTOCOL");
    t.clock.set("2026-03-03T10:00:00Z");
    const bad = await t.api("POST", `/api/eformation/protocol-links/${tokenOf(gen.body.link)}/sign`, undefined, { signerName: "Inès Roux", accept: false });
    assert.equal(bad.status, 400, "no consent: refused before anything is recorded");
    const trainee = await t.api("POST", `/api/eformation/protocol-links/${tokenOf(gen.body.link)}/sign`, undefined, { signerName: "Inès Roux", accept: true });
    assert.equal(trainee.status, 200);
    assert.equal(trainee.body.status, "signed");
    t.clock.set(NOW);
    provider = await t.login(fx.adminEmail);
    const v = await t.api("GET", `/api/eformation/paths/${pathId}/protocol`, provider);
    assert.equal(v.body.status, "signed");
    const byParty = Object.fromEntries(v.body.signatures.map((s: { party: string }) => [s.party, s]));
    assert.equal(byParty.trainee.signerName, "Inès Roux");
    assert.equal(byParty.trainee.method, "link");
    assert.equal(new Date(byParty.trainee.signedAt).toISOString(), "2026-03-03T10:00:00.000Z");
    assert.equal(byParty.provider.method, "app");
    assert.equal(byParty.provider.contentHash, v.body.protocol.contentHash);
  });

  test("CP-PROTOCOL: the trainee signs with their own account first (trainee_signed), then the provider", async () => {
    const { pathId, traineeId } = await makePath(fx);
    await t.api("POST", `/api/eformation/paths/${pathId}/protocol`, provider);
    const email = `compte.${newId().slice(0, 6)}@example.org`;
    await createUser(t.db, { email, role: "trainee", traineeId });
    const own = await t.api("POST", `/api/eformation/paths/${pathId}/protocol/sign`, await t.login(email));
    assert.equal(own.status, 200);
    assert.equal(own.body.status, "trainee_signed");
    const staff = await t.api("POST", `/api/eformation/paths/${pathId}/protocol/sign`, provider);
    assert.equal(staff.body.status, "signed");
  });

  test("CP-PROTOCOL: an unsigned protocol is replaced on regeneration; a signed one stays frozen and a new version goes to signature", async () => {
    const { pathId } = await makePath(fx);
    const first = await t.api("POST", `/api/eformation/paths/${pathId}/protocol`, provider);
    await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-19", modality: "distance", pathIds: [pathId] });
    const replaced = await t.api("POST", `/api/eformation/paths/${pathId}/protocol`, provider);
    assert.equal(replaced.body.version, 1, "unsigned: replaced in place");
    assert.equal(replaced.body.id, first.body.id);
    assert.notEqual(replaced.body.contentHash, first.body.contentHash);
    await t.api("POST", `/api/eformation/paths/${pathId}/protocol/sign`, provider);
    await t.api("POST", `/api/eformation/protocol-links/${tokenOf(replaced.body.link)}/sign`, undefined, { signerName: "Inès Roux", accept: true });
    const signedRow = await t.db.selectFrom("eformation_protocol").selectAll().where("id", "=", first.body.id).executeTakeFirstOrThrow();
    await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-20", modality: "distance", pathIds: [pathId] });
    const next = await t.api("POST", `/api/eformation/paths/${pathId}/protocol`, provider);
    assert.equal(next.body.version, 2);
    assert.notEqual(next.body.id, first.body.id);
    const frozen = await t.db.selectFrom("eformation_protocol").selectAll().where("id", "=", first.body.id).executeTakeFirstOrThrow();
    assert.equal(frozen.content_hash, signedRow.content_hash, "the signed version is not touched");
    const v = await t.api("GET", `/api/eformation/paths/${pathId}/protocol`, provider);
    assert.equal(v.body.protocol.version, 2);
    assert.equal(v.body.status, "draft", "the new version needs both signatures again");
    assert.equal(v.body.signatures.length, 0);
  });

  test("CP-PROTOCOL: the PDF has the four sections and a signature page with names, dates and the content hash", async () => {
    const { pathId } = await makePath(fx);
    const gen = await t.api("POST", `/api/eformation/paths/${pathId}/protocol`, provider);
    await t.api("POST", `/api/eformation/paths/${pathId}/protocol/sign`, provider);
    const admin = await actorOf(t.db, fx.adminEmail);
    const raw = (await protocolPdf(t.db, admin, pathId, { compress: false })).pdf.toString("latin1");
    const text = [...raw.matchAll(/<([0-9a-f]+)>/g)].map((m) => Buffer.from(m[1], "hex").toString("latin1")).join("") + raw;
    for (const title of ["1. Calendrier", "2. Modalit", "3. Temps de travail estim", "4. Modes d'", "Signatures"]) assert.ok(text.includes(title), `section ${title}`);
    assert.ok(text.includes(gen.body.contentHash), "the content hash is printed");
    assert.ok(text.includes(admin.fullName), "the provider signer's name is printed");
    const res = await t.app.request(`/eformation/parcours/${pathId}/protocole.pdf`, { headers: { authorization: `Bearer ${provider}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/pdf");
  });

  test("CP-PROTOCOL: from the path page, staff generate and sign on the protocol page; the non-e-formation refusal shows in the error summary", async () => {
    const { pathId } = await makePath(fx);
    const page = await t.pageSession(fx.adminEmail);
    assert.match((await page.get(`/parcours/${pathId}`)).html, new RegExp(`/eformation/parcours/${pathId}/protocole`));
    const gen = await page.post(`/eformation/parcours/${pathId}/protocole`, {});
    assert.equal(gen.status, 200);
    assert.match(gen.html, /Nouveau lien personnel envoyé/);
    const signed = await page.post(`/eformation/parcours/${pathId}/protocole/signer`, {});
    assert.equal(signed.status, 303);
    assert.match((await page.get(`/eformation/parcours/${pathId}/protocole`)).html, /Signé par l&#39;organisme/);
    const { pathId: plainPath } = await makePath(plain);
    const refused = await (await t.pageSession(plain.adminEmail)).post(`/eformation/parcours/${plainPath}/protocole`, {});
    assert.equal(refused.status, 422);
    assert.match(refused.html, /error-summary[\s\S]*n&#39;est pas en e-formation/);
  });

  test("CP-PROTOCOL: another provider's path answers 404 exactly like an unknown one", async () => {
    const { pathId } = await makePath(fx);
    await t.api("POST", `/api/eformation/paths/${pathId}/protocol`, provider);
    for (const [method, suffix] of [["GET", ""], ["POST", ""], ["POST", "/sign"]] as const) {
      const theirs = await t.api(method, `/api/eformation/paths/${pathId}/protocol${suffix}`, stranger);
      const unknown = await t.api(method, `/api/eformation/paths/${newId()}/protocol${suffix}`, stranger);
      assert.equal(theirs.status, 404);
      assert.deepEqual({ ...theirs.body, instance: undefined }, { ...unknown.body, instance: undefined });
    }
  });

  test("CP-PROTOCOL: a replaced link and an expired one answer 410; an unknown one 404", async () => {
    const { pathId } = await makePath(fx);
    const first = await t.api("POST", `/api/eformation/paths/${pathId}/protocol`, provider);
    await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-24", modality: "distance", pathIds: [pathId] });
    const second = await t.api("POST", `/api/eformation/paths/${pathId}/protocol`, provider);
    const sign = (link: string) => t.api("POST", `/api/eformation/protocol-links/${tokenOf(link)}/sign`, undefined, { signerName: "Inès Roux", accept: true });
    const replaced = await sign(first.body.link);
    assert.equal(replaced.status, 410);
    assert.equal(replaced.body.code, "LINK_REPLACED");
    assert.equal((await t.app.request(`/protocole/${tokenOf(first.body.link)}`)).status, 410);
    t.clock.set("2026-04-10T09:00:00Z"); // 39 days later: past the 30-day link
    const expired = await sign(second.body.link);
    assert.equal(expired.status, 410);
    assert.equal(expired.body.code, "LINK_EXPIRED");
    t.clock.set(NOW);
    provider = await t.login(fx.adminEmail);
    const unknown = await t.api("POST", `/api/eformation/protocol-links/${"x".repeat(43)}/sign`, undefined, { signerName: "Inès Roux", accept: true });
    assert.equal(unknown.status, 404);
  });
});
