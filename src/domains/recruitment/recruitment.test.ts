import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { notificationsFor } from "../../core/notifications/index.ts";
import { createTestContext, formLogin, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { candidate, createPrescriber, createSessionRow, FT_TOULOUSE, ML_TOULOUSE } from "./testing.ts";

describe("recruitment over HTTP", () => {
  let t: TestContext;
  let a: OrderFixture;
  let b: OrderFixture;
  let sessionA: string;
  let prescriberEmail: string;
  let tok: { a: string; b: string; presc: string; otherPresc: string; region: string };

  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    a = await createOrderFixture(t.db);
    b = await createOrderFixture(t.db);
    sessionA = await createSessionRow(t.db, a);
    prescriberEmail = await createPrescriber(t.db, FT_TOULOUSE);
    tok = {
      a: await t.login(a.adminEmail),
      b: await t.login(b.adminEmail),
      presc: await t.login(prescriberEmail),
      otherPresc: await t.login(await createPrescriber(t.db, ML_TOULOUSE)),
      region: await t.login(a.regionEmail),
    };
  });
  after(() => t.close());

  const prescribe = (over: Record<string, unknown> = {}, token = tok.presc) => t.api("POST", "/api/prescriptions", token, { sessionId: sessionA, ...candidate(over) });
  const step = (id: string, body: Record<string, unknown>, token = tok.a) => t.api("POST", `/api/candidacies/${id}/transitions`, token, body);

  test("CP-CANDIDACY-DECISION: two simultaneous entries of one candidate create one trainee and one path", async () => {
    const p = await prescribe({ lastName: "Double-Entrée" });
    const id = p.body.id;
    await step(id, { to: "summoned", summonedFor: "2026-03-10" });
    assert.equal((await step(id, { to: "selected", assessmentScore: 60 })).status, 200);
    const body = { pedagogicalReferentId: a.referentId, entryDate: "2026-04-01", plannedExitDate: "2026-06-30" };
    const [one, two] = await Promise.all([t.api("POST", `/api/candidacies/${id}/entry`, tok.a, body), t.api("POST", `/api/candidacies/${id}/entry`, tok.a, body)]);
    // Exactly one succeeds; the other is refused by the status rule (422) or, when both passed it, by
    // the conditional update inside the transaction (409) — which one depends on timing.
    const statuses = [one.status, two.status].sort();
    assert.equal(statuses[0], 201);
    assert.ok([409, 422].includes(statuses[1]), `second entry refused, got ${statuses[1]}`);
    const trainees = await t.db.selectFrom("trainee").select("id").where("last_name", "=", "Double-Entrée").execute();
    assert.equal(trainees.length, 1, "the refused entry left no orphan trainee or path behind");
  });

  test("CP-CANDIDACY-DECISION: whole chain prescriber → invited → summoned → selected → entered, every step logged and notified", async () => {
    const p = await prescribe();
    assert.equal(p.status, 201, JSON.stringify(p.body));
    const id = p.body.id;
    assert.equal((await step(id, { to: "invited" })).status, 200);
    const noDate = await step(id, { to: "summoned" });
    assert.equal(noDate.status, 422);
    assert.equal(noDate.body.code, "CP-CANDIDACY-DECISION");
    assert.equal((await step(id, { to: "summoned", summonedFor: "2026-03-10" })).status, 200);
    assert.equal((await step(id, { to: "entered" })).status, 400, "entered is reached only through the entry command");
    assert.equal((await step(id, { to: "selected", assessmentScore: 72 })).status, 200);
    const entry = await t.api("POST", `/api/candidacies/${id}/entry`, tok.a, { pedagogicalReferentId: a.referentId, entryDate: "2026-04-01", plannedExitDate: "2026-06-30" });
    assert.equal(entry.status, 201, JSON.stringify(entry.body));
    const path = await t.db.selectFrom("path as p").innerJoin("trainee as tr", "tr.id", "p.trainee_id").selectAll("tr").select(["p.order_line_id", "p.site_id", "p.entry_date"]).where("p.id", "=", entry.body.pathId).executeTakeFirstOrThrow();
    assert.deepEqual([path.first_name, path.last_name, path.birth_date, path.france_travail_id, path.order_line_id, path.site_id, path.entry_date], ["Inès", "Martin", "1995-02-14", "1234567A", a.orderLineId, a.siteId, "2026-04-01"]);
    const again = await t.api("POST", `/api/candidacies/${id}/entry`, tok.a, { entryDate: "2026-04-01", plannedExitDate: "2026-06-30" });
    assert.equal(again.status, 422, "a second entry is refused");

    const seen = await t.api("GET", `/api/candidacies/${id}`, tok.presc);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.candidacy.status, "entered");
    assert.equal(seen.body.candidacy.path_id, entry.body.pathId);
    assert.deepEqual(
      seen.body.history.map((h: { to_status: string }) => h.to_status),
      ["received", "invited", "summoned", "selected", "entered"],
    );
    const toPrescriber = seen.body.messages.filter((m: { recipientEmail: string }) => m.recipientEmail === prescriberEmail).map((m: { subject: string }) => m.subject);
    assert.equal(toPrescriber.length, 4, JSON.stringify(toPrescriber));
    assert.ok(toPrescriber.some((s: string) => s.startsWith("Entrée en formation")));
    const toCandidate = seen.body.messages.filter((m: { recipientEmail: string }) => m.recipientEmail === "ines.martin@exemple.test");
    assert.equal(toCandidate.length, 5, "received, invited, summoned, selected, entered");
  });

  test("access: a prescriber sees only its organisation's prescriptions; provider B cannot see or decide on A's candidacies", async () => {
    const { body } = await prescribe({ lastName: "Scoped" });
    assert.equal((await t.api("GET", `/api/candidacies/${body.id}`, tok.otherPresc)).status, 404);
    assert.equal((await t.api("GET", `/api/candidacies/${body.id}`, tok.b)).status, 404);
    assert.equal((await step(body.id, { to: "invited" }, tok.b)).status, 404);
    assert.equal((await step(body.id, { to: "invited" }, tok.presc)).status, 403);
    const other = await t.api("GET", "/api/prescriptions", tok.otherPresc);
    assert.ok(!other.body.items.some((r: { id: string }) => r.id === body.id));
    const own = await t.api("GET", "/api/prescriptions", tok.presc);
    assert.ok(own.body.items.some((r: { id: string }) => r.id === body.id));
    const listB = await t.api("GET", "/api/candidacies", tok.b);
    assert.equal(listB.body.items.length, 0);
    assert.equal((await t.api("GET", `/api/sessions/${sessionA}/selection`, tok.b)).status, 404);
    assert.equal((await t.api("POST", `/api/candidacies/${body.id}/transitions`, tok.presc, { to: "withdrawn", reason: "A trouvé un emploi" })).status, 200, "the prescriber may record a withdrawal");
  });

  test("CP-PRESCRIBERS: a withdrawn organisation's prescription is refused", async () => {
    const email = await createPrescriber(t.db, "a1ce9619-c170-4127-a1ed-4069065f4070");
    const token = await t.login(email);
    await t.db.updateTable("prescriber_organisation").set({ authorised: false }).where("id", "=", "a1ce9619-c170-4127-a1ed-4069065f4070").execute();
    const r = await prescribe({}, token);
    assert.equal(r.status, 422);
    assert.equal(r.body.code, "CP-PRESCRIBERS");
  });

  test("recruitment closed: a prescription is refused, a continuation slip is received (CP-CONTINUATION-SLIP, CP-CONTINUATION-ENTRY: entered by the provider)", async () => {
    const closed = await createSessionRow(t.db, a, { recruitment_open: false });
    const r = await t.api("POST", "/api/prescriptions", tok.presc, { sessionId: closed, ...candidate() });
    assert.equal(r.status, 422);
    assert.equal(r.body.code, "RECRUITMENT_CLOSED");
    const slip = await t.api("POST", "/api/continuation-slips", tok.b, { sessionId: closed, fromScheme: "prf_prequalifying", fromAction: "Prépa avenir", prescriberOrganisationId: FT_TOULOUSE, ...candidate({ lastName: "Suite" }) });
    assert.equal(slip.status, 201, JSON.stringify(slip.body));
    const row = await t.db.selectFrom("continuation_slip").selectAll().where("candidacy_id", "=", slip.body.id).executeTakeFirstOrThrow();
    assert.equal(row.entered_by_role, "provider");
    assert.equal(row.from_provider_id, b.providerId);
    assert.equal(row.received_on, "2026-03-02");
  });

  test("CP-CONTINUATION-ROUTES: a slip from another scheme is not a continuation", async () => {
    const r = await t.api("POST", "/api/continuation-slips", tok.b, { sessionId: sessionA, fromScheme: "other", prescriberOrganisationId: FT_TOULOUSE, ...candidate() });
    assert.equal(r.status, 422);
    assert.equal(r.body.code, "CP-CONTINUATION-ROUTES");
  });

  test("CP-CONTINUATION-4W, CP-CONTINUATION-PRIORITY and CP-CONTINUATION-ENTRY (entered by the prescriber): overdue on day 29; refusal needs a justification that provider 1, the prescriber and the Region read", async (tc) => {
    tc.after(() => t.clock.set("2026-03-02T09:00:00Z"));
    const slip = await t.api("POST", "/api/continuation-slips", tok.presc, { sessionId: sessionA, fromScheme: "qualif_pro_parcours_qualifiants", fromProviderName: "Organisme précédent", ...candidate({ lastName: "Navette" }) });
    assert.equal(slip.status, 201, JSON.stringify(slip.body));
    assert.equal(slip.body.deadline, "2026-03-30");
    const id = slip.body.id;
    t.clock.set("2026-03-30T20:00:00Z"); // day 28, evening in Paris
    // Sessions last 7 days: log in again four weeks later.
    const later = { a: await t.login(a.adminEmail), presc: await t.login(prescriberEmail), region: await t.login(a.regionEmail) };
    const step = (cid: string, body: Record<string, unknown>) => t.api("POST", `/api/candidacies/${cid}/transitions`, later.a, body);
    const overdue = async () => (await t.api("GET", "/api/continuation-slips", later.a)).body.items.find((s: { candidacy: { id: string } }) => s.candidacy.id === id).overdue;
    assert.equal(await overdue(), false);
    t.clock.set("2026-03-30T22:30:00Z"); // already day 29 in Paris (UTC+2)
    assert.equal(await overdue(), true);
    const region = await t.api("GET", "/api/region/continuations", later.region);
    assert.ok(region.body.some((o: { overdue: number }) => o.overdue >= 1));

    assert.equal((await step(id, { to: "summoned", summonedFor: "2026-04-02" })).status, 200);
    const refusal = { to: "not_retained", refusalReasonCode: "prerequisites_not_met", messageToCandidate: "Nous vous proposons une remise à niveau.", messageToPrescriber: "Prérequis en anglais non atteints." };
    const without = await step(id, refusal);
    assert.equal(without.status, 422);
    assert.equal(without.body.code, "CP-CONTINUATION-PRIORITY");
    const withJ = await step(id, { ...refusal, continuationJustification: "Niveau A1 au test écrit, B1 requis ; aucune place en remise à niveau." });
    assert.equal(withJ.status, 200, JSON.stringify(withJ.body));
    assert.deepEqual(withJ.body.warnings.map((w: { code: string }) => w.code), ["CP-CONTINUATION-4W"], "answered on day 29: late");
    const slipRow = await t.db.selectFrom("continuation_slip").selectAll().where("candidacy_id", "=", id).executeTakeFirstOrThrow();
    assert.equal(slipRow.answer, "refusal");
    assert.equal(slipRow.answered_on, "2026-03-31");
    assert.equal(slipRow.entered_by_role, "prescriber");
    for (const token of [later.presc, later.region]) {
      const d = await t.api("GET", `/api/candidacies/${id}`, token);
      assert.match(d.body.candidacy.continuation_justification, /Niveau A1/);
    }
    const summary = await t.api("GET", "/api/region/continuations", later.region);
    const order = summary.body.find((o: { orderNumber: string; refused: number }) => o.orderNumber.startsWith("BC-") && o.refused >= 1);
    assert.ok(order.refusals.some((r: { row: { id: string } }) => r.row.id === id));
    t.clock.set("2026-03-02T09:00:00Z");
  });

  test("CP-COPASS: provider 1 sees its slip and provider 2's answer only (not the candidacy), and is told of it", async () => {
    const slip = await t.api("POST", "/api/continuation-slips", tok.b, { sessionId: sessionA, fromScheme: "prf_prequalifying", prescriberOrganisationId: FT_TOULOUSE, ...candidate({ lastName: "Copass" }) });
    const id = slip.body.id;
    assert.equal((await step(id, { to: "summoned", summonedFor: "2026-03-09" })).status, 200);
    assert.equal((await step(id, { to: "selected", entryDate: "2026-04-01" })).status, 200);
    const sent = await t.api("GET", "/api/continuation-slips", tok.b);
    const mine = sent.body.items.find((s: { candidacy: { id: string } }) => s.candidacy.id === id);
    assert.equal(mine.direction, "sent");
    assert.equal(mine.candidacy.slip_answer, "entry");
    assert.equal(mine.candidacy.slip_answer_entry_date, "2026-04-01");
    // The answer only: nothing of provider 2's candidacy (contact details, status, assessment).
    assert.deepEqual(Object.keys(mine.candidacy).sort(), ["component_title", "first_name", "from_provider_name", "from_scheme", "id", "last_name", "provider_name", "slip_answer", "slip_answer_entry_date", "slip_answer_reason", "slip_answered_on", "slip_received_on"]);
    const d = await t.api("GET", `/api/candidacies/${id}`, tok.b);
    const unknown = await t.api("GET", "/api/candidacies/3f1d2c3b-0000-4000-8000-000000000000", tok.b);
    assert.equal(d.status, 404, "provider 1 does not read provider 2's candidacy");
    assert.deepEqual({ ...d.body, instance: "" }, { ...unknown.body, instance: "" });
    const told = await notificationsFor(t.db, "candidacy", id);
    assert.ok(told.some((m) => m.recipientEmail === b.adminEmail && m.subject.startsWith("Suite de parcours — Candidature retenue")));
    assert.equal((await step(id, { to: "withdrawn", reason: "x" }, tok.b)).status, 404, "provider 1 reads, it does not decide");
  });

  test("CP-CONTINUATION-PRIORITY: the selection ranks continuation candidates first among equal scores", async () => {
    const s = await createSessionRow(t.db, a);
    const mk = async (name: string, score: number, continuation: boolean) => {
      const r = continuation
        ? await t.api("POST", "/api/continuation-slips", tok.b, { sessionId: s, fromScheme: "qualif_pro_competences_plus", prescriberOrganisationId: FT_TOULOUSE, ...candidate({ lastName: name }) })
        : await t.api("POST", "/api/prescriptions", tok.presc, { sessionId: s, ...candidate({ lastName: name }) });
      assert.equal((await t.api("PUT", `/api/candidacies/${r.body.id}/assessment`, tok.a, { assessmentScore: score })).status, 204);
    };
    await mk("Premier", 60, false);
    await mk("Deuxième", 60, true);
    await mk("Troisième", 75, false);
    await mk("Quatrième", 59, true);
    const r = await t.api("GET", `/api/sessions/${s}/selection`, tok.a);
    assert.deepEqual(
      r.body.map((x: { candidacy: { last_name: string } }) => x.candidacy.last_name),
      ["Troisième", "Deuxième", "Premier", "Quatrième"],
    );
  });

  test("CP-ELIGIBLE-PUBLIC: an unregistered candidate is received and flagged; entry is refused until registered", async () => {
    const p = await prescribe({ lastName: "NonInscrit", jobSeekerRegistered: false, franceTravailId: "", registrationHelp: "Rendez-vous France Travail pris le 5 mars" });
    assert.equal(p.status, 201);
    assert.deepEqual(p.body.warnings.map((w: { code: string }) => w.code), ["CP-ELIGIBLE-PUBLIC"]);
    const id = p.body.id;
    await step(id, { to: "summoned", summonedFor: "2026-03-09" });
    await step(id, { to: "selected" });
    const refused = await t.api("POST", `/api/candidacies/${id}/entry`, tok.a, { entryDate: "2026-04-01", plannedExitDate: "2026-06-30" });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "CP-ELIGIBLE-PUBLIC");
    assert.equal(await t.db.selectFrom("trainee").select("id").where("last_name", "=", "NonInscrit").executeTakeFirst(), undefined, "no trainee created");
    assert.equal((await t.api("PUT", `/api/candidacies/${id}/registration`, tok.a, { jobSeekerRegistered: true, franceTravailId: "12345678901", registrationHelp: "Inscription faite avec la conseillère" })).status, 204);
    const ok = await t.api("POST", `/api/candidacies/${id}/entry`, tok.a, { entryDate: "2026-04-01", plannedExitDate: "2026-06-30" });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });

  test("CP-PREP-PRIORITY: flagged on a specific preparation when the diploma is above the exam's level", async () => {
    await t.db.updateTable("component").set({ category: "specific_preparation", level_2019: 4 }).where("id", "=", b.componentId).execute();
    const s = await createSessionRow(t.db, b);
    const presc = await t.api("POST", "/api/prescriptions", tok.presc, { sessionId: s, ...candidate({ highestDiplomaLevel: 5 }) });
    assert.deepEqual(presc.body.warnings.map((w: { code: string }) => w.code), ["CP-PREP-PRIORITY"]);
    const level4 = await t.api("POST", "/api/prescriptions", tok.presc, { sessionId: s, ...candidate({ highestDiplomaLevel: 4 }) });
    assert.deepEqual(level4.body.warnings, []);
  });

  test("CP-PRESCRIPTION-MODES: paper prescription keeps its origin and the form (PDF, sha256); bad files refused", async () => {
    const pdf = Buffer.from("%PDF-1.4\n% formulaire de prescription\n%%EOF\n");
    const base = { sessionId: sessionA, prescriberOrganisationId: ML_TOULOUSE, ...candidate({ lastName: "Papier" }) };
    const r = await t.api("POST", "/api/candidacies/paper", tok.a, { ...base, attachment: { filename: "prescription.pdf", contentType: "application/pdf", base64: pdf.toString("base64") } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const row = await t.db.selectFrom("candidacy as c").innerJoin("attachment as a", "a.id", "c.attachment_id").select(["c.origin", "a.sha256", "a.size_bytes"]).where("c.id", "=", r.body.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { origin: "paper", sha256: createHash("sha256").update(pdf).digest("hex"), size_bytes: pdf.length });
    const fake = await t.api("POST", "/api/candidacies/paper", tok.a, { ...base, attachment: { filename: "x.png", contentType: "image/png", base64: pdf.toString("base64") } });
    assert.equal(fake.status, 422);
    assert.equal(fake.body.code, "ATTACHMENT");
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
    big.write("%PDF");
    const tooBig = await t.api("POST", "/api/candidacies/paper", tok.a, { ...base, attachment: { filename: "gros.pdf", contentType: "application/pdf", base64: big.toString("base64") } });
    assert.equal(tooBig.status, 422);
    assert.equal((await t.api("POST", "/api/candidacies/paper", tok.b, base)).status, 404, "provider B cannot enter into A's session");
  });

  test("CSV import: line-by-line report, BOM accepted, nothing half-done", async () => {
    const header = "nom;prenom;date_naissance;email;telephone;identifiant_france_travail;inscrit_france_travail;niveau_diplome;organisme_prescripteur;projet;accompagnement";
    const csv = `\uFEFF${header}\nDurand;Léa;14/02/1994;lea@exemple.test;0600000000;7654321B;oui;3;Mission Locale de Toulouse;Vente;Atelier CV\nFaux;Id;01/01/1990;;;12AB;oui;;Mission Locale de Toulouse;Projet;\nInconnu;Org;01/01/1990;;;;non;;Agence inventée;Projet;\n`;
    const before = Number((await t.db.selectFrom("candidacy").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const res = await t.app.request(`/api/sessions/${sessionA}/candidacies/import`, { method: "POST", headers: { authorization: `Bearer ${tok.a}`, "content-type": "text/csv" }, body: csv });
    assert.equal(res.status, 200);
    const report = (await res.json()) as { line: number; status: string; messages: string[] }[];
    assert.deepEqual(
      report.map((l) => [l.line, l.status]),
      [
        [2, "created"],
        [3, "refused"],
        [4, "refused"],
      ],
    );
    assert.match(report[1].messages.join(" "), /France Travail/);
    assert.match(report[2].messages.join(" "), /CP-PRESCRIBERS/);
    const afterCount = Number((await t.db.selectFrom("candidacy").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    assert.equal(afterCount - before, 1);
    const bad = await t.app.request(`/api/sessions/${sessionA}/candidacies/import`, { method: "POST", headers: { authorization: `Bearer ${tok.a}`, "content-type": "text/csv" }, body: "nom;prenom\nA;B\n" });
    assert.equal(bad.status, 400);
  });

  test("CSV import report names fields in French with their column, never the schema's English keys (issue 10, point 3)", async () => {
    const header = "nom;prenom;date_naissance;email;telephone;identifiant_france_travail;inscrit_france_travail;niveau_diplome;organisme_prescripteur;projet;accompagnement";
    const csv = `${header}\n;Léa;14.02.1994;pas-une-adresse;;12AB;oui;douze;Mission Locale de Toulouse;;\n`;
    const res = await t.app.request(`/api/sessions/${sessionA}/candidacies/import`, { method: "POST", headers: { authorization: `Bearer ${tok.a}`, "content-type": "text/csv" }, body: csv });
    assert.equal(res.status, 200);
    const [line] = (await res.json()) as { status: string; messages: string[] }[];
    assert.equal(line.status, "refused");
    const text = line.messages.join("\n");
    for (const expected of [
      /Nom \(colonne nom\) : Nom requis\./,
      /Date de naissance \(colonne date_naissance\) : date attendue au format JJ\/MM\/AAAA/,
      /Adresse e-mail \(colonne email\) : Adresse e-mail invalide/,
      /Identifiant France Travail \(colonne identifiant_france_travail\) : Identifiant France Travail invalide/,
      /Niveau du diplôme le plus élevé \(colonne niveau_diplome\) : Niveau entre 1 et 8/,
      /Projet \(colonne projet\) : Décrivez le projet/,
    ]) {
      assert.match(text, expected);
    }
    assert.doesNotMatch(text, /\b(lastName|birthDate|email :|franceTravailId|highestDiplomaLevel|project)\b/, "no English field name");
  });

  test("CP-PRESCRIPTION-MODES: direct registration for e-formation only; elsewhere nothing is created", async () => {
    const ef = await createOrderFixture(t.db, { eFormation: true });
    const efSession = await createSessionRow(t.db, ef, { site: false });
    const ok = await t.api("POST", `/api/public/sessions/${efSession}/registrations`, undefined, candidate({ lastName: "Directe" }));
    assert.equal(ok.status, 202, JSON.stringify(ok.body));
    // Created once the person confirms with the mailed link (src/domains/recruitment/direct.test.ts).
    const mail = await t.db.selectFrom("notification").select("body_text").where("entity", "=", "direct_registration").orderBy("created_at", "desc").executeTakeFirstOrThrow();
    const token = /\/candidature\/confirmer\/([A-Za-z0-9_-]{43})/.exec(mail.body_text)?.[1];
    const confirmed = await t.api("POST", `/api/public/registrations/${token}/confirm`);
    assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
    const row = await t.db.selectFrom("candidacy").select(["origin", "prescriber_organisation_id"]).where("id", "=", confirmed.body.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { origin: "direct_eformation", prescriber_organisation_id: null });
    const count = async () => Number((await t.db.selectFrom("candidacy").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const before = await count();
    const refused = await t.api("POST", `/api/public/sessions/${sessionA}/registrations`, undefined, candidate({ lastName: "Spontanée" }));
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "CP-PRESCRIPTION-MODES");
    assert.equal(await count(), before);
    const page = await t.app.request(`/candidater/${sessionA}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Passez par un prescripteur/);
  });

  test("pages: lists, detail, selection and continuation views render for each role", async () => {
    const admin = await t.pageSession(a.adminEmail);
    for (const path of ["/candidatures", "/candidatures/nouvelle", "/candidatures/import", "/continuations", "/continuations/nouvelle", `/sessions/${sessionA}/selection`]) {
      const r = await admin.get(path);
      assert.equal(r.status, 200, `${path}: ${r.html.slice(0, 300)}`);
    }
    const presc = await t.pageSession(prescriberEmail);
    for (const path of ["/prescriptions", "/prescriptions/nouvelle", "/continuations"]) assert.equal((await presc.get(path)).status, 200, path);
    const region = await t.pageSession(a.regionEmail);
    assert.equal((await region.get("/recrutement/continuations")).status, 200);
    const form = await presc.post("/prescriptions/nouvelle", { sessionId: sessionA, lastName: "Formulaire", firstName: "Zoé", birthDate: "1999-09-09", franceTravailId: "bad", project: "Projet", jobSeekerRegistered: "1" });
    assert.equal(form.status, 422);
    assert.match(form.html, /Identifiant France Travail invalide/);
    const created = await presc.post("/prescriptions/nouvelle", { sessionId: sessionA, lastName: "Formulaire", firstName: "Zoé", birthDate: "1999-09-09", franceTravailId: "1234567Z", project: "Projet", jobSeekerRegistered: "1" });
    assert.equal(created.status, 303);
    const id = created.location!.split("/")[2].split("?")[0];
    const refuse = await admin.post(`/candidatures/${id}/etape`, { to: "not_retained", refusalReasonCode: "", messageToCandidate: "", messageToPrescriber: "" });
    assert.equal(refuse.status, 422);
    assert.match(refuse.html, /Choisissez le motif/);
    assert.equal((await admin.post(`/candidatures/${id}/etape`, { to: "invited" })).status, 303);
    const detail = await presc.get(`/candidatures/${id}`);
    assert.match(detail.html, /Invitation à une information collective/);
  });
  test("CP-PRESCRIPTION-MODES: the paper form uploads the prescription form (multipart) and keeps what was typed on refusal", async () => {
    const { cookie } = await formLogin(t.app, a.adminEmail);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await t.app.request("/candidatures/nouvelle", { headers: { cookie } })).text())?.[1] ?? "";
    const form = (file: File) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries({ _csrf: csrf, sessionId: sessionA, prescriberOrganisationId: ML_TOULOUSE, lastName: "Upload", firstName: "Paul", birthDate: "1988-08-08", franceTravailId: "1111111A", jobSeekerRegistered: "1", project: "Logistique" })) fd.append(k, v);
      fd.append("attachment", file);
      return fd;
    };
    const bad = await t.app.request("/candidatures/nouvelle", { method: "POST", headers: { cookie }, body: form(new File(["pas un pdf"], "x.pdf", { type: "application/pdf" })) });
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assert.match(html, /PDF, un JPEG ou un PNG/);
    assert.match(html, /value="Upload"/);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const ok = await t.app.request("/candidatures/nouvelle", { method: "POST", headers: { cookie }, body: form(new File([png], "scan.png", { type: "image/png" })) });
    assert.equal(ok.status, 303);
    const id = ok.headers.get("location")!.split("/")[2].split("?")[0];
    const file = await t.app.request(`/candidatures/${id}/piece-jointe`, { headers: { cookie } });
    assert.equal(file.headers.get("content-type"), "image/png");
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), png);
  });
  test("CP-EFORM-REGIONAL-RECRUIT: the candidate form records the département of residence; an unknown département is a 422 on the field, never a 500", async () => {
    const { cookie } = await formLogin(t.app, a.adminEmail);
    const page = await (await t.app.request("/candidatures/nouvelle", { headers: { cookie } })).text();
    assert.match(page, /Département de résidence \(code\)/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const form = (lastName: string, dep: string) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries({ _csrf: csrf, sessionId: sessionA, prescriberOrganisationId: ML_TOULOUSE, lastName, firstName: "Lina", birthDate: "1991-01-01", jobSeekerRegistered: "1", project: "Logistique", residenceDepartementCode: dep })) fd.append(k, v);
      fd.append("attachment", new File([png], "scan.png", { type: "image/png" }));
      return fd;
    };
    const unknown = await t.app.request("/candidatures/nouvelle", { method: "POST", headers: { cookie }, body: form("Inconnu", "99") });
    assert.equal(unknown.status, 422);
    assert.match(await unknown.text(), /Département de résidence : 99 n&#39;est pas un département connu/);
    const ok = await t.app.request("/candidatures/nouvelle", { method: "POST", headers: { cookie }, body: form("Figeacoise", "46") });
    assert.equal(ok.status, 303);
    const row = await t.db.selectFrom("candidate").select("residence_departement_code").where("last_name", "=", "Figeacoise").executeTakeFirstOrThrow();
    assert.equal(row.residence_departement_code, "46");
  });
});
