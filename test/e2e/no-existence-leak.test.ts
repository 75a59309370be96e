// No existence leak (issue 8, point 8): another provider's or organisation's object answers exactly
// as an unknown id — same status, same problem+json or HTML error page — on every route, read or
// write. The routes come from the app's own route table, so a new route is covered (or must be
// listed in NOT_AN_OBJECT_ID with a reason) the day it is registered.
//
// For each route with an object id and each actor of ANOTHER organisation, the answer for an
// existing object and the answer for an unknown id must be identical (modulo the id text) and never
// a success. A 403 passes only in that form: the same refusal for an unknown id means the role was
// refused before any lookup, which says nothing about the object. A second test makes sure every
// route does reach its lookup for someone (a 404 for an unknown id), so a body refused by validation
// cannot hide a route that leaks.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, TEST_PASSWORD, type PageSession, type TestContext } from "../support/app.ts";
import { loadDemoIfEmpty } from "../../src/demo/seed.ts";
import { REGION_EMAIL } from "../../src/demo/organisations.ts";
import { newId } from "../../src/core/time.ts";

const NOW = "2026-11-22T10:00:00Z";
const UNKNOWN = "3f1d2c3b-0000-4000-8000-00000000dead";

/** Parameters that are not object ids, with the reason: they are outside this test. */
const NOT_AN_OBJECT_ID: Record<string, string> = {
  "GET /static/:name": "a static file name",
  "GET /static/islands/:name": "a static file name",
  "GET /api/certificates/verify/:code": "a certificate's public verification code, printed on the PDF for anyone to check",
  "GET /verifier/:code": "a certificate's public verification code, printed on the PDF for anyone to check",
  "GET /verifier/:code/pdf": "a certificate's public verification code: holding it (from the PDF or the trainee's mail) is the authorisation",
  "GET /planning/:file{[A-Za-z0-9_-]{20,}\\.ics}": "a secret calendar token: holding it is the authorisation",
  "POST /api/attendance/links/:token/sign": "a secret signing-link token: holding it is the authorisation",
  "GET /lien/:token": "a secret signing-link token: holding it is the authorisation",
  "POST /lien/:token": "a secret signing-link token: holding it is the authorisation",
  "GET /appareil/:token": "a secret device-pairing token: holding it is the authorisation",
  "POST /appareil/:token": "a secret device-pairing token: holding it is the authorisation",
  "GET /candidature/confirmer/:token": "a secret registration-confirmation token: holding it is the authorisation",
  "POST /candidature/confirmer/:token": "a secret registration-confirmation token: holding it is the authorisation",
  "POST /api/public/registrations/:token/confirm": "a secret registration-confirmation token: holding it is the authorisation",
  "GET /mot-de-passe/nouveau/:token": "a secret password-reset token: holding it is the authorisation",
  "POST /mot-de-passe/nouveau/:token": "a secret password-reset token: holding it is the authorisation",
  "GET /badges/:id": "a badge's id is its public credential URL (Open Badges 3.0): anyone holding the badge verifies it there",
  "POST /badges/:id": "a badge's id is its public credential URL (Open Badges 3.0): anyone holding the badge verifies it there",
  "GET /badges/:id/credential.jwt": "a badge's id is its public credential URL (Open Badges 3.0): anyone holding the badge verifies it there",
  "GET /badges/:id/ob2.json": "a badge's id is its public hosted assertion (Open Badges 2.0 hosted verification)",
  "GET /satisfaction/:token": "a secret satisfaction-questionnaire token: holding it is the authorisation",
  "POST /satisfaction/:token": "a secret satisfaction-questionnaire token: holding it is the authorisation",
  "GET /enquete/:token": "a secret survey token: holding it is the authorisation",
  "POST /enquete/:token": "a secret survey token: holding it is the authorisation",
  "POST /enquete/:token/desinscription": "a secret survey token: holding it is the authorisation",
  "GET /stage/:token": "a secret personal internship-link token (trainee or tutor): holding it is the authorisation",
  "POST /stage/:token/signer": "a secret personal internship-link token (trainee or tutor): holding it is the authorisation",
  "POST /stage/:token/bilan": "a secret personal internship-link token (trainee or tutor): holding it is the authorisation",
  "POST /stage/:token/renouveler": "a secret personal internship-link token (trainee or tutor): holding it is the authorisation",
  "POST /stage/:token/creneaux/:slotId": "a secret personal internship-link token (trainee or tutor): holding it is the authorisation",
  "POST /api/internship-links/:token/sign": "a secret personal internship-link token (trainee or tutor): holding it is the authorisation",
  "POST /api/internship-links/:token/review": "a secret personal internship-link token (trainee or tutor): holding it is the authorisation",
  "POST /api/internship-links/:token/renew": "a secret personal internship-link token (trainee or tutor): holding it is the authorisation",
  "GET /protocole/:token": "a secret personal protocol-link token (CP-PROTOCOL, the trainee): holding it is the authorisation",
  "POST /protocole/:token/signer": "a secret personal protocol-link token (CP-PROTOCOL, the trainee): holding it is the authorisation",
  "POST /api/eformation/protocol-links/:token/sign": "a secret personal protocol-link token (CP-PROTOCOL, the trainee): holding it is the authorisation",
  "GET /api/lots/:id": "a lot is the Region's public division of the market, owned by no organisation: every signed-in user reads it (its writes stay covered)",
  "GET /api/ami/calls/:id": "an AMI call is the Region's public call, owned by no organisation: every participant reads it (its Region-only writes stay covered)",
  "GET /ami/appels/:id": "an AMI call is the Region's public call, owned by no organisation: every participant reads it (its Region-only writes stay covered)",
  "GET /ami/appels/:id/formulaire.pdf": "the blank form of a public AMI call, for anyone preparing an answer",
  "POST /ami/appels/:id/candidater": "applying to a public AMI call is open to every eligible organisation: the call is nobody's object",
  "POST /api/ami/calls/:id/applications": "applying to a public AMI call is open to every eligible organisation: the call is nobody's object",
  "GET /api/access-sites/:id": "an access site is the Region's public network (CP-EFORM-SITES), owned by no organisation: every provider books there (its Region-only writes stay covered)",
  "GET /sites-acces/:id": "an access site is the Region's public network (CP-EFORM-SITES), owned by no organisation: every provider books there (its Region-only writes stay covered)",
  "GET /api/access-sites/:id/day": "an access site's day: every provider sees the PCs left; the names are only its own trainees' (tested in src/domains/access-sites)",
  "GET /sites-acces/:id/jour": "an access site's day: every provider sees the PCs left; the names are only its own trainees' (tested in src/domains/access-sites)",
};

/** Which object a route's `:id` names, by path prefix (first match wins). */
const KIND_BY_PREFIX: [string, Kind][] = [
  ["/api/trainees/", "trainee"], ["/stagiaires/", "trainee"],
  ["/api/paths/", "path"], ["/parcours/", "path"],
  ["/api/deposits/", "deposit"], ["/cautions/", "deposit"],
  ["/api/lots/", "lot"], ["/lots/", "lot"], ["/documents/lots/", "lot"],
  ["/api/providers/", "provider"], ["/organismes/", "provider"],
  ["/api/sites/", "site"], ["/offre/sites/", "site"],
  ["/api/components/", "component"], ["/offre/composantes/", "component"],
  ["/api/orders/", "order"], ["/commandes/", "order"],
  ["/api/candidacies/", "candidacy"], ["/candidatures/", "candidacy"],
  ["/api/sessions/", "session"], ["/sessions/", "session"], ["/catalogue/sessions/", "session"], ["/api/public/sessions/", "session"], ["/candidater/", "session"],
  ["/api/info-meetings/", "infoMeeting"], ["/informations-collectives/", "infoMeeting"],
  ["/api/certificates/", "certificate"], ["/certificats/", "certificate"],
  ["/api/certificate-batches/", "batch"],
  ["/api/attendance-sheets/", "slot"], ["/documents/feuilles/", "slot"],
  ["/api/slots/", "slot"], ["/planning/creneaux/", "slot"], ["/api/attendance/slots/", "slot"],
  ["/emargement/aide/", "help"], ["/api/attendance/help/", "help"],
  ["/emargement/appareils/", "device"], ["/api/attendance/devices/", "device"],
  ["/emargement/", "slot"], ["/signer/", "slot"],
  ["/api/site-closures/", "closure"], ["/planning/fermetures/", "closure"],
  ["/api/other-funded-trainees/", "otherFunded"], ["/planning/autres-financeurs/", "otherFunded"],
  ["/api/prescriber-organisations/", "prescriberOrg"], ["/prescripteurs/", "prescriberOrg"],
  ["/api/accounts/", "account"], ["/comptes/", "account"],
  ["/mon-parcours/", "path"], ["/syntheses/", "path"],
  ["/api/exam-registrations/", "examRegistration"],
  ["/api/companies/", "company"], ["/entreprises/", "company"],
  ["/api/periods/", "period"], ["/periodes/", "period"],
  ["/api/work-incidents/", "incident"], ["/declarations/", "incident"],
  ["/api/ami/calls/", "amiCall"], ["/ami/appels/", "amiCall"],
  ["/api/ami/applications/", "amiApplication"], ["/ami/candidatures/", "amiApplication"],
  ["/ami/livrables/", "amiDeliverable"],
  ["/api/ami/expert-providers/", "amiExpert"], ["/ami/experts/", "amiExpert"],
  ["/rgpd/stagiaires/", "trainee"], ["/api/privacy/trainees/", "trainee"],
  ["/rgpd/candidats/", "candidate"], ["/api/privacy/candidates/", "candidate"],
  ["/rgpd/comptes/", "account"], ["/api/privacy/accounts/", "account"],
  ["/api/change-requests/", "changeRequest"], ["/demandes/", "changeRequest"],
  ["/api/access-sites/", "accessSite"], ["/sites-acces/", "accessSite"],
  ["/api/seat-bookings/", "seatBooking"], ["/reservations-sites/", "seatBooking"],
  ["/api/contribution-findings/", "contributionFinding"], ["/contributions/", "contributionFinding"],
  ["/eformation/composantes/", "component"], ["/eformation/lots/", "lot"], ["/eformation/sessions/", "session"], ["/eformation/logiciels/", "software"],
  ["/api/eformation/paths/", "path"], ["/eformation/parcours/", "path"],
  ["/api/eformation/components/", "component"], ["/api/eformation/sessions/", "session"],
  ["/api/eformation/gathering-requests/", "gatheringRequest"], ["/eformation/demandes-regroupement/", "gatheringRequest"],
  ["/api/trainers/", "trainerProfile"], ["/formateurs/", "trainerProfile"],
  ["/api/trainer-notices/", "trainerNotice"], ["/equipes-pedagogiques/avis/", "trainerNotice"],
];
type Kind =
  | "trainee" | "path" | "deposit" | "lot" | "provider" | "site" | "component" | "module" | "order" | "candidacy" | "session"
  | "infoMeeting" | "certificate" | "batch" | "slot" | "help" | "device" | "closure" | "prescriberOrg" | "trainer" | "otherFunded" | "account" | "company" | "period" | "incident"
  | "amiCall" | "amiApplication" | "amiDeliverable" | "amiExpert" | "examRegistration" | "candidate" | "changeRequest"
  | "accessSite" | "seatBooking" | "contributionFinding" | "software" | "gatheringRequest" | "trainerProfile" | "trainerNotice";

/** Secondary parameters: another object of the same owner, or a plain value. */
const SECONDARY: Record<string, Kind | string> = { trainerId: "trainerProfile", attachmentId: "module", moduleId: "module", month: "2026-10", format: "csv" };

/** Form fields a page needs before it looks its object up ($kind: an id of the owner's object). */
const FORMS: Record<string, Record<string, string>> = {
  "POST /lots/:id{[0-9a-fA-F-]{36}}": { code: "LOT-9", name: "Lot de test", frameworkEnd: "2027-12-31", departements: "31" },
  "POST /signer/:slotId/aide": { question: "Je n'arrive pas à ouvrir la ressource." },
  "POST /cautions/:id/restitution": { pathId: "$path", refundedOn: "2026-11-20" },
  "POST /emargement/aide/:id": { answer: "Voici la réponse." },
};

/** Request bodies the OpenAPI schema cannot make plausible by itself. */
const API_BODIES: Record<string, unknown> = {
  "PUT /api/providers/:id": { name: "Organisme de test", siret: "81245307400013" },
  "POST /api/sessions/:id/candidacies/import": "nom;prenom\nRoux;Inès\n",
  "POST /api/paths/:id/follow-ups": { milestone: "exit", situation: "job_seeking" },
  "PUT /api/eformation/components/:id/webconf": { toolName: "Classe virtuelle", audio_video_16: true, screen_sharing: true, remote_control: true, whiteboard: true, file_transfer: true, platform: "region_moodle" },
};

/** Request headers a route needs before it looks its object up. */
const API_HEADERS: Record<string, Record<string, string>> = {
  "POST /api/certificates/:id/mail": { "idempotency-key": "cle-fuite-0001" },
};

/** Plausible values for id fields of a body, by field name. */
const BODY_IDS: Record<string, Kind> = { pathId: "path", siteId: "site", moduleId: "module", componentId: "component", sessionId: "session", lotId: "lot", replacementTrainerId: "trainer" };

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
};

/** A value the schema accepts, as a client would plausibly send it (first alternative, every field). */
function plausible(schema: Schema | undefined, ids: Record<string, string>, field = ""): unknown {
  if (!schema) return {};
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return plausible(alternatives.find((s) => !(s.enum?.length === 1 && s.enum[0] === "")) ?? alternatives[0], ids, field);
  if (schema.allOf) return plausible(Object.assign({}, ...schema.allOf), ids, field);
  if (schema.enum) return schema.enum.find((v) => v !== null && v !== "") ?? schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "object" || schema.properties) {
    return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, plausible(v, ids, k)]));
  }
  if (type === "array") return [plausible(schema.items, ids, field.replace(/s$/, ""))];
  if (type === "integer" || type === "number") return Math.max(1, (schema.minimum ?? 0) + (schema.exclusiveMinimum !== undefined ? 1 : 0));
  if (type === "boolean") return true;
  if (schema.format === "uuid") return ids[BODY_IDS[field] ?? ""] ?? UNKNOWN;
  if (schema.format === "email") return "personne@exemple.fr";
  if (schema.format === "uri") return "https://visio.exemple.fr/salle";
  if (schema.pattern) {
    const candidates = ["2026-12-01", "2026-10", field.startsWith("end") ? "12:00" : "09:00", "31000", "1234567A", "31", "client-0001"];
    const fits = candidates.find((v) => new RegExp(schema.pattern ?? "").test(v));
    if (fits) return fits;
  }
  if (field === "departementCode") return "31";
  return "Texte plausible pour ce champ".padEnd(schema.minLength ?? 0, ".").slice(0, schema.maxLength ?? 200);
}

/** What tells two answers apart, short: the problem's code and detail, or the error page's message. */
function excerpt(a: Answer): string {
  const detail = /"code":"([^"]*)".*?"detail":"([^"]*)"/.exec(a.text) ?? /<p role="alert">([^<]*)<\/p>/.exec(a.text);
  return `${a.status} ${detail ? detail.slice(1).join(" ") : a.text.replace(/\s+/g, " ").slice(0, 120)}`;
}

const PARAM = /:(\w+)(\{(?:[^{}]|\{[^{}]*\})*\})?/g;

interface Answer {
  status: number;
  text: string;
}

describe("NO-EXISTENCE-LEAK: another organisation's object answers exactly as an unknown id (route table)", () => {
  let t: TestContext;
  let routes: { method: string; path: string }[];
  let ids: Record<string, string>;
  const actors: Record<string, { token: string; page: PageSession }> = {};
  const bodies: Record<string, { schema?: Schema; query: Record<string, Schema> }> = {};

  before(async () => {
    t = await createTestContext(NOW);
    const db = t.db;
    await loadDemoIfEmpty(db, { now: new Date(NOW), password: TEST_PASSWORD });
    // Owner A: the provider with candidacies (prescribed by organisation P); the actors belong to
    // provider B, to another prescriber organisation than P, and a trainee of B.
    const candidacy = await db.selectFrom("candidacy").select(["id", "candidate_id", "provider_id", "prescriber_organisation_id"]).where("prescriber_organisation_id", "is not", null).executeTakeFirstOrThrow();
    const A = candidacy.provider_id;
    const B = (await db.selectFrom("provider").select("id").where("id", "!=", A).orderBy("name").executeTakeFirstOrThrow()).id;
    const staff = async (provider: string, role: "provider_admin" | "pedagogical_referent" | "trainer") =>
      db.selectFrom("app_user").select(["id", "email"]).where("provider_id", "=", provider).where("role", "=", role).orderBy("email").executeTakeFirstOrThrow();
    const prescriber = await db.selectFrom("app_user").select("email").where("role", "=", "prescriber").where("prescriber_organisation_id", "!=", candidacy.prescriber_organisation_id).executeTakeFirstOrThrow();
    const traineeB = await db.selectFrom("path").select("trainee_id").where("provider_id", "=", B).where("status", "=", "validated").executeTakeFirstOrThrow();
    await createUser(db, { email: "stagiaire.b@fuite.test", role: "trainee", traineeId: traineeB.trainee_id });

    const path = await db
      .selectFrom("path")
      .innerJoin("slot_trainee as st", "st.path_id", "path.id")
      .select(["path.id", "path.trainee_id", "path.order_id", "path.order_line_id", "path.site_id", "st.slot_id"])
      .where("path.provider_id", "=", A)
      .where("path.status", "=", "validated")
      .orderBy("path.id")
      .orderBy("st.slot_id")
      .executeTakeFirstOrThrow();
    const slot = { id: path.slot_id };
    const component = await db.selectFrom("component").select("id").where("provider_id", "=", A).orderBy("id").executeTakeFirstOrThrow();
    const module = await db.selectFrom("module").select("id").where("component_id", "=", component.id).orderBy("position").executeTakeFirstOrThrow();
    const lot = await db.selectFrom("component").select("lot_id").where("provider_id", "=", A).executeTakeFirstOrThrow();
    // Objects the demo does not have: written straight into their tables (their domains' tests
    // cover how they are made). Session and meeting are drafts: a published one is public.
    const made = { examRegistration: newId(), deposit: newId(), session: newId(), infoMeeting: newId(), closure: newId(), help: newId(), device: newId(), certificate: newId(), batch: newId(), otherFunded: newId() };
    await db.insertInto("session").values({ id: made.session, provider_id: A, order_line_id: path.order_line_id, site_id: path.site_id, start_date: "2027-01-11", end_date: "2027-03-31", places: 8 }).execute();
    await db.insertInto("info_meeting").values({ id: made.infoMeeting, provider_id: A, order_line_id: path.order_line_id, session_id: made.session, meeting_date: "2026-12-15", start_time: "09:00", end_time: "11:00", site_id: path.site_id }).execute();
    await db.insertInto("deposit").values({ id: made.deposit, path_id: path.id, amount_cents: 15000, material: "Ordinateur portable", taken_on: "2026-10-05", recorded_by: null }).execute();
    await db.insertInto("other_funded_trainee").values({ id: made.otherFunded, provider_id: A, component_id: component.id, site_id: path.site_id, full_name: "Olga Autrefinancée", funder: "OPCO", start_date: "2026-10-01", end_date: "2026-12-18", created_by: null }).execute();
    await db.insertInto("site_closure").values({ id: made.closure, site_id: path.site_id, start_date: "2026-12-24", end_date: "2026-12-26", reason: "Fermeture de fin d'année" }).execute();
    await db.insertInto("help_request").values({ id: made.help, slot_id: slot.id, path_id: path.id, question: "Je n'arrive pas à signer.", asked_at: new Date(NOW) }).execute();
    await db.insertInto("device_session").values({ id: made.device, trainee_id: path.trainee_id, token_hash: "f".repeat(64), expires_at: new Date("2027-01-01T00:00:00Z") }).execute();
    await db.insertInto("certificate").values({ id: made.certificate, path_id: path.id, period_start: "2026-10-01", period_end: "2026-10-31", verification_code: "FUITE0000001", minutes: JSON.stringify({}), content_hash: "0".repeat(64), issued_at: new Date(NOW) }).execute();
    const certification = newId();
    await db.insertInto("certification").values({ id: certification, provider_id: A, component_id: component.id, kind: "RS", code: "RS5440", title: "Certification de test", skill_blocks: "[]" }).execute();
    await db.insertInto("exam_registration").values({ id: made.examRegistration, path_id: path.id, certification_id: certification, internal: false, session_on: "2026-12-10", created_at: new Date(NOW) }).execute();
    await db.insertInto("document_batch").values({ id: made.batch, provider_id: A, order_id: path.order_id, kind: "certificates", period_start: "2026-10-01", period_end: "2026-10-31", total: 1, status: "done", created_by: null, finished_at: new Date(NOW) }).execute();
    // Internships (company network, period, work incident) of owner A.
    const internship = { company: newId(), tutor: newId(), period: newId(), incident: newId() };
    await db.insertInto("company").values({ id: internship.company, provider_id: A, siret: "81245307400013", name: "Entreprise A" }).execute();
    await db.insertInto("company_tutor").values({ id: internship.tutor, company_id: internship.company, provider_id: A, full_name: "Tuteur A" }).execute();
    await db.insertInto("company_period").values({ id: internship.period, provider_id: A, path_id: path.id, company_id: internship.company, tutor_id: internship.tutor, place: "region", start_date: "2026-10-01", end_date: "2026-10-31", planned_minutes: 600, weekly_minutes: 2100, agreement_hash: "0".repeat(64) }).execute();
    await db.insertInto("work_incident").values({ id: internship.incident, provider_id: A, trainee_id: path.trainee_id, kind: "stoppage", occurred_on: "2026-10-05" }).execute();
    // The AMI: the demo's call and provider A's application; a deliverable of it written here.
    const amiApplication = await db.selectFrom("ami_application").select(["id", "call_id"]).where("provider_id", "=", A).executeTakeFirstOrThrow();
    const amiAttachment = newId();
    await db.insertInto("attachment").values({ id: amiAttachment, provider_id: A, filename: "livrable.pdf", content_type: "application/pdf", size_bytes: 4, sha256: "0".repeat(64), bytes: Buffer.from("%PDF"), uploaded_by: null }).execute();
    const amiDeliverable = newId();
    await db.insertInto("ami_deliverable").values({ id: amiDeliverable, application_id: amiApplication.id, kind: "m2_production", owner: "provider", title: "Référentiel", attachment_id: amiAttachment, uploaded_by: null }).execute();
    const software = newId();
    await db.insertInto("eformation_software").values({ id: software, session_id: made.session, provider_id: A, name: "GanttProject", version: "3.3", licence: "Libre", sheet_attachment_id: amiAttachment, windows10_64: true, office2016: true, submitted_at: new Date(NOW) }).execute();
    const changeRequest = newId();
    await db.insertInto("change_request").values({ id: changeRequest, provider_id: A, kind: "address", payload: JSON.stringify({ kind: "address", address: "1 rue Neuve" }), reason: "Déménagement", filed_by: (await staff(A, "provider_admin")).id }).execute();
    // An access site (the Region's) and a seat booked there for owner A's trainee.
    const accessSite = newId();
    const room = newId();
    const seatBooking = newId();
    await db.insertInto("access_site").values({ id: accessSite, name: "Site d'accès de test", address: "1 place", postcode: "46000", commune: "Cahors", insee_code: "46042", departement_code: "46", opening_hours: "9 h – 17 h", contact_name: "Accueil" }).execute();
    await db.insertInto("access_site_room").values({ id: room, access_site_id: accessSite, name: "Salle 1", pcs: 1 }).execute();
    await db.insertInto("access_site_seat").values({ room_id: room, seat_no: 1 }).execute();
    const slotTimes = await db.selectFrom("slot").select(["slot_date", "starts_at", "ends_at"]).where("id", "=", slot.id).executeTakeFirstOrThrow();
    await db
      .insertInto("seat_booking")
      .values({ id: seatBooking, provider_id: A, slot_id: slot.id, path_id: path.id, trainee_id: path.trainee_id, access_site_id: accessSite, room_id: room, seat_no: 1, slot_date: slotTimes.slot_date, during: `[${new Date(slotTimes.starts_at).toISOString()},${new Date(slotTimes.ends_at).toISOString()})`, booked_at: new Date(NOW) })
      .execute();
    const contributionFinding = newId();
    await db.insertInto("contribution_finding").values({ id: contributionFinding, provider_id: A, trainee_id: path.trainee_id, found_on: "2026-10-01", amount_cents: 5000, description: "Frais de dossier", refund_due_on: "2026-10-31", recorded_by: null }).execute();
    // The provider's trainer with a CV, a teaching-team notice to the Region (CP-TRAINER-CHANGE) and a
    // gathering request (CP-EFORM-GATHERINGS), all of owner A.
    const trainerProfile = newId();
    const trainerNotice = newId();
    const gatheringRequest = newId();
    await db.insertInto("trainer").values({ id: trainerProfile, provider_id: A, full_name: "Formatrice A", qualifications: "CAPES d'anglais", cv_attachment_id: amiAttachment }).execute();
    await db.insertInto("trainer_notice").values({ id: trainerNotice, provider_id: A, order_id: path.order_id, kind: "team_change", reason: "Nouvelle équipe", filed_by: (await staff(A, "provider_admin")).id, filed_at: new Date(NOW) }).execute();
    await db.insertInto("trainer_notice_trainer").values({ notice_id: trainerNotice, trainer_id: trainerProfile, change: "added", cv_attachment_id: amiAttachment }).execute();
    await db.insertInto("eformation_gathering_request").values({ id: gatheringRequest, session_id: made.session, provider_id: A, gathering_date: "2027-02-10", place: "Cahors", argument: "Évaluation pratique", filed_by: null, filed_at: new Date(NOW) }).execute();
    ids = {
      ...made,
      trainerProfile,
      trainerNotice,
      gatheringRequest,
      accessSite,
      seatBooking,
      contributionFinding,
      company: internship.company,
      period: internship.period,
      incident: internship.incident,
      amiCall: amiApplication.call_id,
      amiApplication: amiApplication.id,
      amiDeliverable,
      amiExpert: (await db.selectFrom("ami_expert_provider").select("id").orderBy("name").executeTakeFirstOrThrow()).id,
      changeRequest,
      software,
      trainee: path.trainee_id,
      path: path.id,
      lot: lot.lot_id,
      provider: A,
      site: path.site_id,
      component: component.id,
      module: module.id,
      order: path.order_id,
      candidacy: candidacy.id,
      candidate: candidacy.candidate_id,
      slot: slot.id,
      prescriberOrg: candidacy.prescriber_organisation_id ?? "",
      trainer: (await staff(A, "trainer")).id,
      account: (await staff(A, "provider_admin")).id,
    };

    // CP-EFORM-SITES: the staff of ANOTHER access site than the one the seat is booked at.
    const siteB = newId();
    await db.insertInto("access_site").values({ id: siteB, name: "Site d'accès B", address: "2 place", postcode: "46100", commune: "Figeac", insee_code: "46102", departement_code: "46", opening_hours: "9 h – 17 h", contact_name: "Accueil B" }).execute();
    await createUser(db, { email: "site.b@fuite.test", role: "access_site_staff", accessSiteId: siteB });
    const emails = {
      region: REGION_EMAIL,
      adminB: (await staff(B, "provider_admin")).email,
      referentB: (await staff(B, "pedagogical_referent")).email,
      trainerB: (await staff(B, "trainer")).email,
      prescriber: prescriber.email,
      traineeB: "stagiaire.b@fuite.test",
      siteStaffB: "site.b@fuite.test",
    };
    for (const [name, email] of Object.entries(emails)) actors[name] = { token: await t.login(email), page: await t.pageSession(email) };

    const seen = new Set<string>();
    routes = t.app.routes.filter((r) => {
      const key = `${r.method} ${r.path}`;
      if (r.method === "ALL" || !r.path.includes(":") || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const doc = (await t.api("GET", "/api/openapi.json")).body as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string; required?: boolean; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const query = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === "query" && p.required).map((p) => [p.name, p.schema]));
        bodies[`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`] = { schema: Object.values(op.requestBody?.content ?? {})[0]?.schema, query };
      }
    }
  });
  after(() => t?.close());

  const kindOf = (path: string) => KIND_BY_PREFIX.find(([prefix]) => path.startsWith(prefix))?.[1];
  const covered = () => routes.filter((r) => !NOT_AN_OBJECT_ID[`${r.method} ${r.path}`]);

  /** One request as `actor`, the route's main id set to `id`; the answer with the id text blanked. */
  async function ask(route: { method: string; path: string }, actor: string, id: string): Promise<Answer> {
    const key = `${route.method} ${route.path}`;
    // An unknown id stands for every object of the URL; an existing one brings its owner's others.
    const used = [id];
    let url = route.path.replace(PARAM, (_m, name: string) => {
      const secondary = SECONDARY[name];
      if (!secondary) return id;
      if (!(secondary in ids)) return secondary;
      if (id !== UNKNOWN) used.push(ids[secondary]);
      return id === UNKNOWN ? UNKNOWN : ids[secondary];
    });
    const blank = (text: string) => used.reduce((acc, x) => acc.replaceAll(x, "{id}"), text);
    if (route.path.startsWith("/api/")) {
      const spec = bodies[key];
      const query = new URLSearchParams(Object.entries(spec?.query ?? {}).map(([k, s]) => [k, String(plausible(s, ids, k))])).toString();
      if (query) url += `?${query}`;
      const body = API_BODIES[key] ?? (["GET", "DELETE"].includes(route.method) && !spec?.schema ? undefined : plausible(spec?.schema, ids));
      const headers: Record<string, string> = { authorization: `Bearer ${actors[actor].token}`, ...API_HEADERS[key] };
      if (body !== undefined) headers["content-type"] = typeof body === "string" ? "text/csv" : "application/json";
      const res = await t.app.request(url, { method: route.method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
      return { status: res.status, text: blank(`${res.headers.get("content-type")}\n${await res.text()}`) };
    }
    const page = actors[actor].page;
    const form = Object.fromEntries(Object.entries(FORMS[key] ?? {}).map(([k, v]) => [k, v.startsWith("$") ? ids[v.slice(1)] : v]));
    const res = route.method === "GET" ? await page.get(url) : await page.post(url, form);
    return { status: res.status, text: blank(`${res.location ?? ""}\n${res.html}`) };
  }

  test("NO-EXISTENCE-LEAK: every route with a parameter names a known object kind or is listed with its reason", () => {
    assert.ok(routes.length > 150, `${routes.length} routes with a parameter`);
    const unclassified = covered().filter((r) => !kindOf(r.path)).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(unclassified, [], "classify the route in KIND_BY_PREFIX, or list it in NOT_AN_OBJECT_ID with a reason");
    const stale = Object.keys(NOT_AN_OBJECT_ID).filter((k) => !routes.some((r) => `${r.method} ${r.path}` === k));
    assert.deepEqual(stale, [], "NOT_AN_OBJECT_ID lists routes that no longer exist");
  });

  test("NO-EXISTENCE-LEAK: every route reaches its lookup for someone (an unknown id is a 404), so no validation error hides a leak", { timeout: 600_000 }, async () => {
    const unreached: string[] = [];
    for (const route of covered()) {
      const answers: Answer[] = [];
      for (const actor of Object.keys(actors)) {
        const a = await ask(route, actor, UNKNOWN);
        answers.push(a);
        if (a.status === 404) break;
      }
      if (!answers.some((a) => a.status === 404)) unreached.push(`${route.method} ${route.path} → ${answers.map(excerpt).join(" / ")}`);
    }
    assert.equal(unreached.length, 0, `give these routes a plausible body (FORMS / API_BODIES) or make them look their object up first:\n${unreached.join("\n")}`);
  });

  test("NO-EXISTENCE-LEAK: on every route, another organisation's object answers exactly like an unknown id, never a success", { timeout: 600_000 }, async () => {
    const leaks: string[] = [];
    for (const route of covered()) {
      const kind = kindOf(route.path);
      if (!kind) continue;
      for (const actor of Object.keys(actors).filter((a) => a !== "region")) {
        const existing = await ask(route, actor, ids[kind]);
        const unknown = await ask(route, actor, UNKNOWN);
        const where = `${route.method} ${route.path} as ${actor}`;
        if (existing.status < 300) leaks.push(`${where}: ${existing.status} for another organisation's ${kind}`);
        else if (existing.status !== unknown.status || existing.text !== unknown.text) {
          leaks.push(`${where}: existing ${excerpt(existing)} | unknown ${excerpt(unknown)}`);
        }
      }
    }
    assert.equal(leaks.length, 0, `${leaks.length} answers tell an existing object from an unknown id:\n${leaks.join("\n")}`);
  });
});
