// Helpers shared by tests that need a company period (test-only: nothing in src imports this).
import type { Db } from "../../core/db/index.ts";
import type { OrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf } from "../paths/testing.ts";
import { addTutor, createCompany, createPeriod, sendForSignature, signAsProvider, signByLink } from "./use-cases.ts";

export const COMPANY_SIRET = "73282932000074";

/** The fixture provider's partner company and tutor (created once). */
export async function companyAndTutor(db: Db, fx: OrderFixture) {
  const admin = await actorOf(db, fx.adminEmail);
  const existing = await db.selectFrom("company").select("id").where("provider_id", "=", fx.providerId).where("siret", "=", COMPANY_SIRET).executeTakeFirst();
  const companyId = existing?.id ?? (await createCompany(db, admin, { siret: COMPANY_SIRET, name: "Boulangerie Dupont", address: "3 rue des Fleurs", postcode: "31000", commune: "Toulouse", communeInsee: "31555", sector: "Commerce alimentaire", romeCodes: ["D1102"] })).id;
  const tutor = await db.selectFrom("company_tutor").select("id").where("company_id", "=", companyId).executeTakeFirst();
  const tutorId = tutor?.id ?? (await addTutor(db, admin, companyId, { fullName: "Paul Tuteur", jobTitle: "Chef boulanger", email: "tuteur@boulangerie.test", phone: "0561000000" })).id;
  return { companyId, tutorId, admin };
}

/** A period body for the API or the use case, every agreement item filled. */
export function periodBody(pathId: string, ids: { companyId: string; tutorId: string; trainerId: string }, over: Record<string, unknown> = {}) {
  return {
    pathId,
    companyId: ids.companyId,
    tutorId: ids.tutorId,
    followUpTrainerId: ids.trainerId,
    place: "region",
    workAddress: "3 rue des Fleurs, 31000 Toulouse",
    startDate: "2026-03-02",
    endDate: "2026-06-30",
    plannedMinutes: 600,
    weeklyMinutes: 2100,
    timetable: "Du lundi au vendredi, 9 h – 17 h",
    precontactOn: "2026-02-20",
    nature: "Période d'application en entreprise",
    objectives: "Mettre en pratique les acquis",
    pedagogicalObjectives: "Accueil de la clientèle, encaissement",
    positionHeld: "Vendeur·se en boulangerie",
    followUpModalities: "Une visite sur place, un appel par semaine",
    ...over,
  };
}

/** A period whose agreement has its three signatures (the trainee's and tutor's through their links). */
export async function signedPeriod(db: Db, fx: OrderFixture, pathId: string, over: Record<string, unknown> = {}, now = new Date("2026-03-01T09:00:00Z")) {
  const { companyId, tutorId, admin } = await companyAndTutor(db, fx);
  const { id } = await createPeriod(db, admin, periodBody(pathId, { companyId, tutorId, trainerId: admin.userId }, over));
  const urls = await sendForSignature(db, admin, id, now, "http://test");
  const token = (url: string | undefined) => url!.split("/stage/")[1];
  await signByLink(db, now, token(urls.trainee), { signerName: "Stagiaire", accept: true });
  await signByLink(db, now, token(urls.tutor), { signerName: "Paul Tuteur", accept: true });
  await signAsProvider(db, admin, id, now);
  return { id, urls, companyId, tutorId };
}

/**
 * For tests whose paths have no company plan (e.g. attendance fixtures on draft paths): a period with
 * its three signatures written straight into the tables, covering `from`–`to`.
 */
export async function insertSignedPeriod(db: Db, providerId: string, pathId: string, from = "2026-01-01", to = "2026-12-31") {
  const { newId } = await import("../../core/time.ts");
  const companyId = newId();
  const tutorId = newId();
  const id = newId();
  const hash = `test-${id}`;
  await db.insertInto("company").values({ id: companyId, provider_id: providerId, siret: String(Date.now()).padStart(14, "7").slice(-14), name: "Entreprise de test" }).execute();
  await db.insertInto("company_tutor").values({ id: tutorId, company_id: companyId, provider_id: providerId, full_name: "Tuteur de test" }).execute();
  await db
    .insertInto("company_period")
    .values({ id, provider_id: providerId, path_id: pathId, company_id: companyId, tutor_id: tutorId, place: "region", start_date: from, end_date: to, planned_minutes: 600, weekly_minutes: 2100, agreement_hash: hash, agreement_sent_at: new Date(from) })
    .execute();
  for (const party of ["trainee", "tutor", "provider"] as const) {
    await db.insertInto("agreement_signature").values({ id: newId(), period_id: id, party, version: 1, content_hash: hash, signer_name: party, method: "app", user_id: null, signed_at: new Date(from) }).execute();
  }
  return id;
}
