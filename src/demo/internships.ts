// Demo company periods (CCTP §3.1.5): one partner company per provider with a tutor, and on validated
// paths planning company hours, periods in every state — draft agreement, agreement awaiting its last
// signature, in progress (signed), closed (visit and reviews), cancelled. Written in the demo's
// transaction with the domain's own content and hash functions (the use cases open their own).
import type { Transaction } from "kysely";
import type { DB } from "../core/db/schema.ts";
import { newId } from "../core/time.ts";
import { agreementHash } from "../domains/internships/rules.ts";
import { agreementContent } from "../domains/internships/store.ts";

type Tx = Transaction<DB>;
const STATES = ["draft", "awaiting", "in_progress", "closed", "cancelled"] as const;
const SIRET = "73282932000074";

export async function loadDemoInternships(tx: Tx, now: Date): Promise<number> {
  const rows = await tx
    .selectFrom("path as p")
    .innerJoin("path_item as i", "i.path_id", "p.id")
    .select(["p.id", "p.provider_id", "p.entry_date", "p.planned_exit_date", "i.planned_minutes"])
    .where("p.status", "=", "validated")
    .where("i.modality", "=", "company")
    .where("i.exempted", "=", false)
    .orderBy("p.provider_id")
    .orderBy("p.id")
    .execute();
  const byProvider = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = byProvider.get(r.provider_id) ?? [];
    if (list.length < STATES.length && !list.some((x) => x.id === r.id)) list.push(r);
    byProvider.set(r.provider_id, list);
  }
  let made = 0;
  for (const [providerId, paths] of byProvider) {
    const companyId = newId();
    const tutorId = newId();
    await tx.insertInto("company").values({ id: companyId, provider_id: providerId, siret: SIRET, name: "Boulangerie du Capitole", address: "12 rue du Taur", postcode: "31000", commune: "Toulouse", commune_insee: "31555", latitude: 43.6045, longitude: 1.4442, sector: "Commerce alimentaire", rome_codes: ["D1102", "D1106"] }).execute();
    await tx.insertInto("company_tutor").values({ id: tutorId, company_id: companyId, provider_id: providerId, full_name: "Martine Fournier", job_title: "Gérante", email: "martine.fournier@boulangerie-capitole.demo", phone: "05 61 00 00 00" }).execute();
    const trainer = await tx.selectFrom("app_user").select("id").where("provider_id", "=", providerId).where("role", "=", "trainer").executeTakeFirst();
    for (const [k, p] of paths.entries()) {
      const state = STATES[k % STATES.length];
      const id = newId();
      const values = {
        id,
        provider_id: providerId,
        path_id: p.id,
        company_id: companyId,
        tutor_id: tutorId,
        follow_up_trainer_id: trainer?.id ?? null,
        place: "region" as const,
        country: null,
        work_address: "12 rue du Taur, 31000 Toulouse",
        start_date: p.entry_date,
        end_date: p.planned_exit_date,
        planned_minutes: p.planned_minutes,
        weekly_minutes: Math.min(p.planned_minutes, 35 * 60),
        timetable: "Du lundi au vendredi, 9 h – 12 h",
        precontact_on: state === "draft" ? null : p.entry_date,
        precontact_notes: null,
        nature: "Période d'application en entreprise",
        objectives: "Mettre en pratique les acquis de la formation",
        pedagogical_objectives: "Accueil de la clientèle, encaissement, hygiène",
        position_held: "Vendeur·se en boulangerie",
        follow_up_modalities: "Une visite sur place, un appel par semaine",
        outside_opening: false,
        centre_contact: null,
        agreement_version: 1,
      };
      const hash = agreementHash(await agreementContent(tx, values));
      const status = state === "in_progress" || state === "closed" || state === "cancelled" ? state : "preparing";
      await tx.insertInto("company_period").values({ ...values, status, agreement_hash: hash, agreement_sent_at: state === "draft" ? null : now }).execute();
      const parties = state === "draft" || state === "cancelled" ? [] : state === "awaiting" ? (["trainee", "tutor"] as const) : (["trainee", "tutor", "provider"] as const);
      for (const party of parties) {
        await tx.insertInto("agreement_signature").values({ id: newId(), period_id: id, party, version: 1, content_hash: hash, signer_name: party === "tutor" ? "Martine Fournier" : party === "provider" ? "Organisme" : "Stagiaire", method: party === "provider" ? "app" : "link", user_id: null, signed_at: now }).execute();
      }
      if (state === "closed") {
        await tx.insertInto("company_visit").values({ id: newId(), period_id: id, visited_on: p.entry_date, met: "La tutrice et le ou la stagiaire", observations: "Bonne intégration dans l'équipe." }).execute();
        for (const party of ["tutor", "referent", "trainee"] as const) {
          await tx.insertInto("internship_review").values({ id: newId(), period_id: id, party, author_name: party === "tutor" ? "Martine Fournier" : party, activities: "Mise en rayon, encaissement", skills: "Accueil client", progress: "Rapidité à la caisse", appreciation: "Très bien", submitted_at: now }).execute();
        }
      }
      made++;
    }
  }
  return made;
}
