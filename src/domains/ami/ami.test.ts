// The modernisation call end to end through the use cases and the JSON API: publish, apply, submit
// at the deadline's second, rank, retain, expert's plan, committee, mission 2, mission 3.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import type { Actor } from "../../core/auth/actor.ts";
import { DomainError } from "../../core/errors.ts";
import { notificationsFor } from "../../core/notifications/index.ts";
import { newId } from "../../core/time.ts";
import { SEED_EXPERTS, SEED_LOTS } from "./rules.ts";
import * as uc from "./use-cases.ts";

const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a]);

async function refused(run: Promise<unknown>, code: string) {
  await assert.rejects(run, (e: unknown) => {
    assert.ok(e instanceof DomainError, String(e));
    assert.equal(e.code, code, e.message);
    return true;
  });
}

describe("AMI: the modernisation call, from the call to the missions", () => {
  let t: TestContext;
  let region: Actor;
  let adminA: Actor;
  let adminB: Actor;
  let expert: Actor;
  let callId: string;
  const providerA = newId();
  const providerB = newId();
  const sitesA = [newId(), newId(), newId(), newId(), newId()];
  const siteB = newId();
  const experts: Record<string, string> = {};
  let appId: string;

  const actor = (userId: string, role: Actor["role"], email: string, providerId: string | null = null): Actor => ({ userId, role, fullName: email, email, providerId, prescriberOrganisationId: null, traineeId: null });
  const now = () => t.clock.now();

  before(async () => {
    t = await createTestContext("2024-01-10T09:00:00Z");
    await t.db.insertInto("provider").values([
      { id: providerA, name: "Organisme A", siret: "73282932000074" },
      { id: providerB, name: "Organisme B", siret: "35600000000048" },
    ]).execute();
    await t.db.insertInto("site").values([
      ...sitesA.map((id, i) => ({ id, provider_id: providerA, name: `Site A${i + 1}`, address: "1 rue", postcode: i === 4 ? "34000" : "31000", commune: i === 4 ? "Montpellier" : "Toulouse", departement_code: i === 4 ? "34" : "31" })),
      { id: siteB, provider_id: providerB, name: "Site B", address: "2 rue", postcode: "34000", commune: "Montpellier", departement_code: "34" },
    ]).execute();
    region = actor(await createUser(t.db, { email: "region@ami.test", role: "region_officer" }), "region_officer", "region@ami.test");
    adminA = actor(await createUser(t.db, { email: "admin-a@ami.test", role: "provider_admin", providerId: providerA }), "provider_admin", "admin-a@ami.test", providerA);
    adminB = actor(await createUser(t.db, { email: "admin-b@ami.test", role: "provider_admin", providerId: providerB }), "provider_admin", "admin-b@ami.test", providerB);
    for (const name of new Set([...SEED_EXPERTS[1], ...SEED_EXPERTS[2]])) experts[name] = (await uc.createExpertProvider(t.db, region, { name })).id;
    const account = await uc.createExpertAccount(t.db, region, experts.BIZNESS, { email: "consultant@bizness.test", fullName: "Camille Consultante", password: "un-mot-de-passe-long" });
    expert = actor(account.id, "expert", "consultant@bizness.test");
  });
  after(() => t.close());

  test("AMI-CALL, AMI-LOTS: the Region publishes the call with its two lots, their experts and a Paris deadline", async () => {
    callId = await uc.publishCall(
      t.db,
      region,
      {
        title: "AMI Modernisation de l'appareil de formation",
        body: "Le plan régional de modernisation…",
        prfYear: 2024,
        deadlineDate: "2024-02-20",
        deadlineTime: "12:00",
        mission2LatestEnd: "2024-06-30",
        priorities: "Jamais accompagnés ; transition écologique ; publics PIC",
        lots: SEED_LOTS.map((l) => ({ number: l.number, name: l.name, departements: [...l.departements], expertProviderIds: SEED_EXPERTS[l.number].map((n) => experts[n]) })),
      },
      now(),
    );
    const call = await uc.getCall(t.db, adminA, callId);
    assert.equal(call.submission_deadline.toISOString(), "2024-02-20T11:00:00.000Z");
    assert.deepEqual(call.lots.map((l) => l.experts.map((e) => e.name).sort()), [["BIZNESS", "LAET'S MIND", "MASKOTT"], ["BIZNESS", "KAWALEARN", "MASKOTT"]]);
    await refused(uc.publishCall(t.db, adminA, {}, now()), "FORBIDDEN");
  });

  test("AMI-ELIGIBLE: an organisation not referenced in the PRF of the year is refused; the Region registers it", async () => {
    await refused(uc.startApplication(t.db, adminA, callId, now()), "AMI-ELIGIBLE");
    await uc.registerEligible(t.db, region, { providerId: providerA, prfYear: 2024, kind: "apprentice_centre" });
    await uc.registerEligible(t.db, region, { providerId: providerB, prfYear: 2024, kind: "training_organisation" });
    appId = await uc.startApplication(t.db, adminA, callId, now());
  });

  test("AMI-SITES, AMI-ONE-PER-LOT: four implementation sites fail, three pass; a second open application on the same lot is refused", async () => {
    const base = { siteMode: "multi" as const, referenceSiteId: sitesA[0] };
    await refused(uc.saveApplication(t.db, adminA, appId, { ...base, implementationSiteIds: sitesA.slice(0, 4) }, now()), "AMI-SITES");
    const saved = await uc.saveApplication(t.db, adminA, appId, { ...base, implementationSiteIds: sitesA.slice(1, 4) }, now());
    assert.equal(saved.app.lot_number, 1);
    const second = await uc.startApplication(t.db, adminA, callId, now());
    await refused(uc.saveApplication(t.db, adminA, second, { siteMode: "single", referenceSiteId: sitesA[1] }, now()), "AMI-ONE-PER-LOT");
    // the same organisation on the other lot is fine (its Montpellier site is in lot 2)
    const other = await uc.saveApplication(t.db, adminA, second, { siteMode: "single", referenceSiteId: sitesA[4] }, now());
    assert.equal(other.app.lot_number, 2);
    // another organisation never sees it: the same 404 as an unknown id
    await refused(uc.getApplication(t.db, adminB, appId), "NOT_FOUND");
    await refused(uc.getApplication(t.db, expert, appId), "NOT_FOUND");
  });

  test("AMI-COMMITMENT-10PCT: submitting with 9,99 % is refused; 10 % passes (the rest of the form filled)", async () => {
    await uc.saveApplication(
      t.db,
      adminA,
      appId,
      {
        needs: { professions: "Refonte des référentiels", digitalisation: "Plateforme d'apprentissage", pedagogy: "", phases: "Phase 1 puis 2" },
        team: [
          { name: "Jeanne Martin", role: "Formatrice", commitment: "2 jours par mois" },
          { name: "Paul Durand", role: "Coordinateur", commitment: "1 jour par mois" },
        ],
        projectLeadName: "Paul Durand",
        projectLeadShare: "9,99",
        targetPublics: ["young_neet"],
        ecologicalActions: "Formation aux métiers de la rénovation énergétique",
        priorAccompaniment: false,
      },
      now(),
    );
    await refused(uc.submitApplication(t.db, adminA, appId, now()), "AMI-COMMITMENT-10PCT");
    const kept = await uc.getApplication(t.db, adminA, appId);
    assert.equal(kept.app.project_lead_share_bp, 999);
    assert.equal(kept.app.status, "draft");
    await uc.saveApplication(t.db, adminA, appId, { projectLeadShare: 10 }, now());
  });

  test("AMI-CALL-DEADLINE, AMI-RECEIPT: 12:00:00 Paris passes, 12:00:01 fails; the summary is mailed, valid a year", async () => {
    const late = await uc.startApplication(t.db, adminB, callId, now());
    await uc.saveApplication(
      t.db,
      adminB,
      late,
      { siteMode: "single", referenceSiteId: siteB, needs: { pedagogy: "Pédagogie" }, team: [{ name: "Zoé", role: "Formatrice", commitment: "1 j" }], projectLeadName: "Zoé", projectLeadShare: "15", priorAccompaniment: true },
      now(),
    );
    t.clock.set("2024-02-20T11:00:01Z");
    await refused(uc.submitApplication(t.db, adminB, late, now()), "AMI-CALL-DEADLINE");
    t.clock.set("2024-02-20T11:00:00Z");
    const done = await uc.submitApplication(t.db, adminA, appId, now());
    assert.equal(done.app.status, "submitted");
    assert.equal(done.app.valid_until, "2025-02-19");
    await uc.submitApplication(t.db, adminB, late, now());
    const mails = await notificationsFor(t.db, "ami_application", appId);
    assert.equal(mails.length, 1);
    assert.match(mails[0].body, /valable un an, jusqu'au 19\/02\/2025/);
    assert.match(mails[0].body, /Paul Durand, 10 % d'un ETP/);
  });

  test("AMI-PRIORITY, AMI-SELECTION: ranked with reasons, overridden with a reason, retained and told by mail", async () => {
    t.clock.set("2024-03-01T09:00:00Z");
    const ranked = await uc.ranking(t.db, region, callId);
    assert.equal(ranked[0].id, appId, "never accompanied, ecological, PIC publics: first");
    assert.ok(ranked[0].reasons.some((x) => x.includes("jamais accompagné")));
    await refused(uc.overrideRank(t.db, region, appId, { position: 2, reason: "" }), "AMI-PRIORITY");
    await uc.overrideRank(t.db, region, appId, { position: 2, reason: "Équilibre territorial" });
    assert.equal((await uc.ranking(t.db, region, callId))[1].id, appId);
    await refused(uc.assignExpert(t.db, region, appId, { expertProviderId: experts.BIZNESS }), "AMI_STATUS");
    await uc.decide(t.db, region, appId, { decision: "retained", reason: "" }, now());
    const mails = await notificationsFor(t.db, "ami_application", appId);
    assert.ok(mails.some((m) => m.subject.includes("est retenue")));
  });

  test("AMI-EXPERT-IN-LOT: an expert of the other lot is refused; one of the lot opens mission 1 and follows it", async () => {
    await refused(uc.assignExpert(t.db, region, appId, { expertProviderId: experts.KAWALEARN }), "AMI-EXPERT-IN-LOT");
    await uc.assignExpert(t.db, region, appId, { expertProviderId: experts.BIZNESS });
    const seen = await uc.getApplication(t.db, expert, appId);
    assert.equal(seen.app.status, "mission_1");
    assert.deepEqual((await uc.listApplications(t.db, expert)).map((a) => a.id), [appId]);
  });

  let approved: string;
  let notApproved: string;
  test("AMI-MISSIONS, AMI-COMMITTEE: the expert records the plan with days per member and phase; the committee approves part", async () => {
    await uc.saveDiagnostic(t.db, expert, appId, { diagnostic: "Des formateurs prêts, peu d'outils numériques." }, now());
    approved = await uc.addAction(t.db, expert, appId, { phase: 1, title: "Plateforme LMS", commitments: [{ memberName: "Jeanne Martin", days: "3" }, { memberName: "Paul Durand", days: "1,5" }] });
    notApproved = await uc.addAction(t.db, expert, appId, { phase: 2, title: "Casques de réalité virtuelle", commitments: [{ memberName: "Jeanne Martin", days: 2 }] });
    await refused(uc.addAction(t.db, adminA, appId, { phase: 1, title: "x", commitments: [] }), "FORBIDDEN");
    const plan = await uc.getApplication(t.db, adminA, appId);
    assert.deepEqual(plan.actions.map((a) => a.commitments.map((c) => c.half_days)), [[6, 3], [4]]);
    await refused(uc.recordProgress(t.db, expert, appId, { actionId: approved, onDate: "2024-03-01", note: "Début" }, now()), "AMI-M2-APPROVED-ONLY");
    await refused(uc.recordCommitteeDecision(t.db, region, appId, { decidedOn: "2024-03-02", approvedActionIds: [approved] }, now()), "AMI-COMMITTEE");
    await uc.recordCommitteeDecision(t.db, region, appId, { decidedOn: "2024-03-01", approvedActionIds: [approved] }, now());
    const after = await uc.getApplication(t.db, adminA, appId);
    assert.equal(after.app.status, "mission_2");
    assert.deepEqual(after.actions.map((a) => a.approved), [true, false]);
  });

  test("AMI-M2-APPROVED-ONLY, AMI-DEADLINE-M2: only approved actions; a warning near 30 June, refused on 1 July", async () => {
    await refused(uc.recordProgress(t.db, expert, appId, { actionId: notApproved, onDate: "2024-03-05", note: "Essai" }, now()), "AMI-M2-APPROVED-ONLY");
    assert.deepEqual(await uc.recordProgress(t.db, expert, appId, { actionId: approved, onDate: "2024-03-05", note: "Plateforme installée" }, now()), []);
    t.clock.set("2024-06-30T20:00:00Z"); // 22:00 in Paris, still 30 June
    const warnings = await uc.recordProgress(t.db, adminA, appId, { actionId: approved, onDate: "2024-06-30", note: "Formateurs formés", done: true }, now());
    assert.equal(warnings[0].code, "AMI-DEADLINE-M2");
    t.clock.set("2024-06-30T22:00:00Z"); // 1 July in Paris
    await refused(uc.recordProgress(t.db, expert, appId, { actionId: approved, onDate: "2024-07-01", note: "Trop tard" }, now()), "AMI-DEADLINE-M2");
  });

  test("AMI-MISSIONS, AMI-TRANSFER: productions of mission 2 belong to the organisation; multi-site needs the transfer kit", async () => {
    const file = { filename: "referentiel.pdf", contentType: "application/pdf", bytes: PDF };
    await uc.addDeliverable(t.db, expert, appId, { kind: "m2_production", title: "Nouveau référentiel" }, file);
    await refused(uc.addDeliverable(t.db, expert, appId, { kind: "evaluation", title: "Évaluation" }, file), "AMI-MISSIONS");
    await uc.startMission3(t.db, expert, appId);
    await uc.addDeliverable(t.db, expert, appId, { kind: "evaluation", title: "Évaluation" }, file);
    await refused(uc.completeAccompaniment(t.db, region, appId), "AMI-TRANSFER");
    const kit = await uc.addDeliverable(t.db, expert, appId, { kind: "transfer_kit", title: "Kit de transfert" }, file);
    await uc.completeAccompaniment(t.db, region, appId);
    const view = await uc.getApplication(t.db, adminA, appId);
    assert.equal(view.app.status, "completed");
    assert.deepEqual(view.deliverables.map((d) => d.owner), ["provider", "expert", "expert"]);
    assert.equal((await uc.readDeliverable(t.db, adminA, kit)).filename, "referentiel.pdf");
    await refused(uc.readDeliverable(t.db, adminB, kit), "NOT_FOUND");
  });
});
