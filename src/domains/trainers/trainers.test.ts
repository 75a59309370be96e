// CP-TRAINER-CHANGE (CCTP §4.1.2): a provider's trainers with CV and qualifications; a change of an order's
// teaching team is a notice to the Region carrying the new trainers' CVs (mail, to-do, acknowledgement);
// an absent trainer is replaced by a qualified one, without delay.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { joiningTrainerHasCv, replacementQualified, replacementWithoutDelay, siteChanges, teamDiff } from "./rules.ts";

const PDF = { filename: "cv.pdf", contentType: "application/pdf", base64: Buffer.from("%PDF-1.4\n%cv\n").toString("base64") };

describe("CP-TRAINER-CHANGE rules", () => {
  const t = (id: string, over: Partial<{ qualifications: string; cv_attachment_id: string | null; active: boolean }> = {}) => ({ id, full_name: `F ${id}`, qualifications: "BTS", cv_attachment_id: "cv", active: true, ...over });

  test("CP-TRAINER-CHANGE: a joining trainer needs a CV and to be active", () => {
    assert.equal(joiningTrainerHasCv(t("a")), undefined);
    assert.equal(joiningTrainerHasCv(t("a", { cv_attachment_id: null }))?.code, "CP-TRAINER-CHANGE");
    assert.equal(joiningTrainerHasCv(t("a", { active: false }))?.severity, "error");
  });

  test("CP-TRAINER-CHANGE: the replacement is another trainer with CV and qualifications", () => {
    assert.equal(replacementQualified(t("a"), t("b")), undefined);
    assert.equal(replacementQualified(t("a"), t("a"))?.code, "CP-TRAINER-CHANGE");
    assert.equal(replacementQualified(t("a"), t("b", { qualifications: "  " }))?.field, "replacementTrainerId");
    assert.equal(replacementQualified(t("a"), t("b", { cv_attachment_id: null }))?.code, "CP-TRAINER-CHANGE");
  });

  test("CP-TRAINER-CHANGE: a replacement recorded on the first day of absence is on time, the day after it warns", () => {
    assert.equal(replacementWithoutDelay("2026-03-02", "2026-03-01"), undefined);
    assert.equal(replacementWithoutDelay("2026-03-02", "2026-03-02"), undefined);
    assert.equal(replacementWithoutDelay("2026-03-02", "2026-03-03")?.severity, "warning");
    assert.deepEqual(teamDiff(["a", "b"], ["b", "c"]), { added: ["c"], removed: ["a"] });
  });
});

describe("CP-TRAINER-CHANGE rules: a site's change", () => {
  const site = { name: "Site A", address: "1 rue A", postcode: "31000", commune: "Toulouse", departement_code: "31", accessible: true, has_phone: true, has_internet: true, has_break_room: true, has_trainers_office: false, accessibility_note: null };
  test("CP-TRAINER-CHANGE: a site's edit reads as « before → after », in French; nothing changed, nothing to notify", () => {
    assert.deepEqual(siteChanges(site, { ...site }), []);
    assert.deepEqual(siteChanges(site, { ...site, accessibility_note: "" }), [], "an empty note is no note");
    assert.deepEqual(siteChanges(site, { ...site, address: "2 rue B", has_phone: false, accessibility_note: "Rampe côté cour" }), [
      "adresse : 1 rue A → 2 rue B",
      "note d'accessibilité : — → Rampe côté cour",
      "téléphone : oui → non",
    ]);
  });
});

describe("CP-TRAINER-CHANGE: trainers, teaching team, notices to the Region (API, pages, mail, to-do)", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let other: OrderFixture;
  let region: string;
  let admin: string;
  let otherAdmin: string;
  let alice: string;
  let bruno: string;
  let noCv: string;

  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    fx = await createOrderFixture(t.db);
    other = await createOrderFixture(t.db);
    region = await t.login(fx.regionEmail);
    admin = await t.login(fx.adminEmail);
    otherAdmin = await t.login(other.adminEmail);
  });
  after(() => t.close());

  test("CP-TRAINER-CHANGE: the provider records trainers with a CV (checked like every upload); another provider's trainer answers 404", async () => {
    const a = await t.api("POST", "/api/trainers", admin, { fullName: "Alice Martin", qualifications: "Titre pro FPA, 8 ans", cv: PDF });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(a.body.hasCv, true);
    alice = a.body.id;
    bruno = (await t.api("POST", "/api/trainers", admin, { fullName: "Bruno Petit", qualifications: "Master FLE, 5 ans", cv: PDF })).body.id;
    noCv = (await t.api("POST", "/api/trainers", admin, { fullName: "Chloé Sans-CV", qualifications: "" })).body.id;
    const bad = await t.api("POST", "/api/trainers", admin, { fullName: "X", cv: { ...PDF, filename: "cv.exe" } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, "ATTACHMENT");
    const fake = await t.api("POST", "/api/trainers", admin, { fullName: "X", cv: { ...PDF, base64: Buffer.from("<html>").toString("base64") } });
    assert.equal(fake.status, 422);
    assert.equal((await t.api("POST", "/api/trainers", admin, { fullName: "" })).status, 400);
    assert.equal((await t.api("GET", `/api/trainers/${alice}`, otherAdmin)).status, 404);
    assert.equal((await t.api("GET", `/api/trainers/${alice}/cv`, otherAdmin)).status, 404);
    assert.equal((await t.api("GET", `/api/trainers/${alice}/cv`, region)).status, 200);
    assert.equal((await t.api("POST", "/api/trainers", region, { fullName: "Région" })).status, 403);
    const list = await t.api("GET", "/api/trainers", admin);
    assert.deepEqual(list.body.map((x: { fullName: string }) => x.fullName), ["Alice Martin", "Bruno Petit", "Chloé Sans-CV"]);
  });

  test("CP-TRAINER-CHANGE: a trainer without CV cannot join a team; the change is a notice with the CVs, mailed to the Region", async () => {
    const refused = await t.api("PUT", `/api/orders/${fx.orderId}/team`, admin, { trainerIds: [alice, noCv], reason: "Équipe de départ" });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "CP-TRAINER-CHANGE");
    assert.equal((await t.api("GET", `/api/orders/${fx.orderId}/team`, admin)).body.trainers.length, 0, "a refusal writes nothing");
    // Another provider's trainer is unknown; another provider's order is 404.
    assert.equal((await t.api("PUT", `/api/orders/${fx.orderId}/team`, admin, { trainerIds: [alice], reason: "x" })).status, 200);
    assert.equal((await t.api("PUT", `/api/orders/${other.orderId}/team`, admin, { trainerIds: [alice], reason: "x" })).status, 404);
    const otherTrainer = (await t.api("POST", "/api/trainers", otherAdmin, { fullName: "Autre", qualifications: "x", cv: PDF })).body.id;
    assert.equal((await t.api("PUT", `/api/orders/${fx.orderId}/team`, admin, { trainerIds: [alice, otherTrainer], reason: "x" })).body.code, "VALIDATION");

    const changed = await t.api("PUT", `/api/orders/${fx.orderId}/team`, admin, { trainerIds: [bruno], reason: "Départ d'Alice, arrivée de Bruno" });
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.body.trainers.map((x: { fullName: string }) => x.fullName), ["Bruno Petit"]);
    const noticeId = changed.body.noticeId;
    const same = await t.api("PUT", `/api/orders/${fx.orderId}/team`, admin, { trainerIds: [bruno], reason: "rien" });
    assert.equal(same.body.noticeId, null, "the same team is no change");

    const notice = await t.api("GET", `/api/trainer-notices/${noticeId}`, region);
    assert.equal(notice.body.kind, "team_change");
    const added = notice.body.trainers.find((x: { change: string }) => x.change === "added");
    assert.equal(added.fullName, "Bruno Petit");
    const cv = await t.app.request(added.cvUrl, { headers: { authorization: `Bearer ${region}` } });
    assert.equal(cv.status, 200);
    assert.match(await cv.text(), /^%PDF/);
    assert.ok(notice.body.trainers.some((x: { change: string; fullName: string }) => x.change === "removed" && x.fullName === "Alice Martin"));
    assert.equal((await t.api("GET", `/api/trainer-notices/${noticeId}`, otherAdmin)).status, 404);

    const mails = await t.db.selectFrom("notification").select(["recipient_email", "subject", "body_text"]).where("entity", "=", "trainer_notice").where("entity_id", "=", noticeId).execute();
    assert.ok(mails.some((m) => m.recipient_email === fx.regionEmail));
    assert.ok(mails.every((m) => m.recipient_email.includes("@region.")), "only the Region's officers are told");
    assert.match(mails[0].subject, /Changement d'équipe pédagogique EP-/);
    assert.match(mails[0].body_text, /Bruno Petit — Master FLE/);
    assert.match(mails[0].body_text, new RegExp(`/equipes-pedagogiques/avis/${noticeId}`));

    // The Region's to-do lists it until acknowledged; acknowledging twice is a conflict; only the Region acknowledges.
    const home = await (await t.pageSession(fx.regionEmail)).get("/");
    assert.match(home.html, /Changements d&#39;équipe pédagogique à prendre en compte|Changements d'équipe pédagogique à prendre en compte/);
    assert.match(home.html, new RegExp(`/equipes-pedagogiques/avis/${noticeId}`));
    assert.equal((await t.api("POST", `/api/trainer-notices/${noticeId}/acknowledge`, admin)).status, 403);
    assert.equal((await t.api("POST", `/api/trainer-notices/${noticeId}/acknowledge`, region)).status, 200);
    assert.equal((await t.api("POST", `/api/trainer-notices/${noticeId}/acknowledge`, region)).status, 409);
    const open = (await t.api("GET", "/api/trainer-notices?open=true", region)).body.map((x: { id: string }) => x.id);
    assert.equal(open.length, 1, "the first team's notice is still open");
    assert.ok(!open.includes(noticeId));
  });

  test("CP-TRAINER-CHANGE: an absent trainer is replaced by a qualified one; late, it warns; the notice carries the replacement's CV", async () => {
    const url = `/api/orders/${fx.orderId}/team/replacements`;
    const body = { absentTrainerId: bruno, replacementTrainerId: alice, absenceFrom: "2026-03-02", reason: "Arrêt maladie" };
    assert.equal((await t.api("POST", url, admin, { ...body, replacementTrainerId: noCv })).body.code, "CP-TRAINER-CHANGE");
    assert.equal((await t.api("POST", url, admin, { ...body, replacementTrainerId: bruno })).status, 422);
    assert.equal((await t.api("POST", url, admin, { ...body, absentTrainerId: noCv })).status, 422, "the absent trainer must be on the team");
    assert.equal((await t.api("POST", url, admin, { ...body, absenceTo: "2026-03-01" })).status, 400);
    const onTime = await t.api("POST", url, admin, body);
    assert.equal(onTime.status, 201, JSON.stringify(onTime.body));
    assert.deepEqual(onTime.body.warnings, []);
    const team = await t.api("GET", `/api/orders/${fx.orderId}/team`, admin);
    assert.deepEqual(team.body.trainers.map((x: { fullName: string }) => x.fullName).sort(), ["Alice Martin", "Bruno Petit"]);
    const n = await t.api("GET", `/api/trainer-notices/${onTime.body.noticeId}`, region);
    assert.equal(n.body.kind, "replacement");
    assert.equal(n.body.absentTrainer, "Bruno Petit");
    assert.equal(n.body.replacementTrainer, "Alice Martin");
    assert.ok(n.body.trainers[0].cvUrl);

    const late = await t.api("POST", url, admin, { ...body, absentTrainerId: alice, replacementTrainerId: bruno, absenceFrom: "2026-02-27" });
    assert.equal(late.status, 201);
    assert.equal(late.body.warnings[0].code, "CP-TRAINER-CHANGE");
  });

  test("CP-TRAINER-CHANGE: pages — the provider adds a trainer and changes the team; the Region reads the notice and acknowledges it", async () => {
    const p = await t.pageSession(fx.adminEmail);
    const list = await p.get("/formateurs");
    assert.equal(list.status, 200);
    assert.match(list.html, /Alice Martin/);
    const team = await p.get(`/commandes/${fx.orderId}/equipe`);
    assert.equal(team.status, 200);
    assert.match(team.html, /Remplacer un formateur absent/);
    const post = await p.post(`/commandes/${fx.orderId}/equipe`, { trainerIds: alice, reason: "Bruno part" });
    assert.equal(post.status, 303);
    const notices = await t.api("GET", `/api/trainer-notices?open=true&orderId=${fx.orderId}`, region);
    const latest = notices.body.find((x: { kind: string }) => x.kind === "team_change");
    const r = await t.pageSession(fx.regionEmail);
    const page = await r.get(`/equipes-pedagogiques/avis/${latest.id}`);
    assert.match(page.html, /Accuser réception/);
    const ack = await r.post(`/equipes-pedagogiques/avis/${latest.id}/prise-en-compte`, {});
    assert.match(ack.html, /Avis pris en compte/);
    assert.equal((await r.get(`/equipes-pedagogiques/avis/${latest.id}`)).html.includes("Accuser réception"), false);
  });

  test("CP-TRAINER-CHANGE: a closed order's team page says why it no longer changes, with no form; the API refuses a change", async () => {
    const closed = await createOrderFixture(t.db);
    // Closing an order for real (every path exited, the close judged) is orders/close.test.ts's subject: here only its state matters.
    await t.db.updateTable("order").set({ status: "closed", closed_at: new Date("2026-03-01T09:00:00Z") }).where("id", "=", closed.orderId).execute();
    const closedAdmin = await t.login(closed.adminEmail);
    const page = await (await t.pageSession(closed.adminEmail)).get(`/commandes/${closed.orderId}/equipe`);
    assert.equal(page.status, 200);
    assert.match(page.html, /Cette commande est close : son équipe pédagogique ne change plus/);
    assert.equal(page.html.includes("Notifier le changement à la Région"), false);
    assert.equal(page.html.includes("Enregistrer le remplacement"), false);
    const trainer = (await t.api("POST", "/api/trainers", closedAdmin, { fullName: "Denis Clos", qualifications: "BTS", cv: PDF })).body.id;
    const refused = await t.api("PUT", `/api/orders/${closed.orderId}/team`, closedAdmin, { trainerIds: [trainer], reason: "Trop tard" });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "CP-TRAINER-CHANGE");
  });

  test("CP-TRAINER-CHANGE: the provider's edit of a site named on a running order is a site-change notice to the Region (mail, acknowledgement); no change, no notice", async () => {
    const site = { name: "Site principal", address: "1 rue du Test", postcode: "31000", commune: "Toulouse", departementCode: "31", accessible: true };
    const same = await t.api("PUT", `/api/sites/${fx.siteId}`, admin, { ...site, name: (await t.db.selectFrom("site").select("name").where("id", "=", fx.siteId).executeTakeFirstOrThrow()).name, address: "1 rue du Test" });
    assert.equal(same.status, 200, JSON.stringify(same.body));
    const before = (await t.api("GET", `/api/trainer-notices?orderId=${fx.orderId}`, region)).body.filter((n: { kind: string }) => n.kind === "site_change");
    assert.equal(before.length, 0, "a save that changes nothing notifies nothing");
    const moved = await t.api("PUT", `/api/sites/${fx.siteId}`, admin, { ...site, address: "12 allée Jean Jaurès", hasPhone: false });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const notices = (await t.api("GET", `/api/trainer-notices?open=true&orderId=${fx.orderId}`, region)).body.filter((n: { kind: string }) => n.kind === "site_change");
    assert.equal(notices.length, 1);
    assert.equal(notices[0].siteId, fx.siteId);
    assert.match(notices[0].reason, /adresse : 1 rue du Test → 12 allée Jean Jaurès/);
    const mail = await t.db.selectFrom("notification").select(["subject", "body_text"]).where("entity_id", "=", notices[0].id).where("recipient_email", "=", fx.regionEmail).executeTakeFirstOrThrow();
    assert.match(mail.subject, /^Changement de site EP-/);
    assert.match(mail.body_text, /CP-TRAINER-CHANGE/);
    // Another provider does not see it; the Region reads it on its page and acknowledges it.
    assert.equal((await t.api("GET", `/api/trainer-notices/${notices[0].id}`, otherAdmin)).status, 404);
    const r = await t.pageSession(fx.regionEmail);
    const page = await r.get(`/equipes-pedagogiques/avis/${notices[0].id}`);
    assert.match(page.html, /Changement de site — avis EP-/);
    assert.match(page.html, /Ce qui change/);
    assert.equal((await t.api("POST", `/api/trainer-notices/${notices[0].id}/acknowledge`, region)).status, 200);
  });
});
