// PDFs of the internships domain: the tripartite agreement (its last page lists the signatures),
// the welcome booklet (CP-WELCOME, CP-CATERING-LODGING-INFO) and the work stoppage / accident forms
// (CP-SOCIAL-PROTECTION-FORMS). Drawn with the documents domain's PDF helpers.
import type { Actor } from "../../core/auth/actor.ts";
import { requireVisible } from "../../core/auth/actor.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import type { Db } from "../../core/db/index.ts";
import { notFound } from "../../core/errors.ts";
import { sha256Hex } from "../../core/files.ts";
import { attachmentRows } from "../../core/files.ts";
import { formatMinutes } from "../../core/rules.ts";
import { formatDateFr, parisDate } from "../../core/time.ts";
import { heading, labelValue, renderPdf } from "../documents/pdf.ts";
import { componentRows, moduleRows } from "../offer/views.ts";
import { orderLineRows, orderRows } from "../orders/views.ts";
import { pathItemRows, pathRows, traineeRows } from "../paths/views.ts";
import { providerReferentRows, providerRows } from "../region/views.ts";
import { slotRows, slotTraineeRows } from "../schedule/views.ts";
import { incidentFor, welcomeSettings } from "./followup.ts";
import { partyLabels, placeLabels, typicalWeek } from "./rules.ts";
import { periodDetail } from "./use-cases.ts";
import { dateTimeSecondsFr } from "../../core/french.ts";


/** The agreement as it stands now; its last page lists every act of signature (who, when, how, hash). */
export async function agreementPdf(db: Db, actor: Actor, periodId: string, opts: { compress?: boolean } = {}) {
  const d = await periodDetail(db, actor, periodId);
  const c = d.content;
  const pdf = await renderPdf({ title: "Convention de stage tripartite", subject: `Période en entreprise de ${c.trainee.name}` }, (doc) => {
    heading(doc, "Convention de stage tripartite — Compétences Plus");
    doc.text(`Version ${c.version} — empreinte SHA-256 ${d.period.agreement_hash}`).moveDown();
    labelValue(doc, "Organisme de formation", `${c.provider.name} (SIRET ${c.provider.siret})`);
    labelValue(doc, "Stagiaire", c.trainee.name);
    labelValue(doc, "Entreprise d'accueil", `${c.company.name} (SIRET ${c.company.siret}), ${c.company.address}`);
    labelValue(doc, "Tuteur ou tutrice", `${c.tutor.name}${c.tutor.jobTitle ? `, ${c.tutor.jobTitle}` : ""}`);
    labelValue(doc, "Formateur·rice assurant le suivi", c.followUpTrainer ?? "—");
    doc.moveDown();
    labelValue(doc, "Nature de la période", c.nature);
    labelValue(doc, "Objectifs", c.objectives);
    labelValue(doc, "Objectifs pédagogiques", c.pedagogicalObjectives);
    labelValue(doc, "Poste occupé", c.positionHeld);
    labelValue(doc, "Lieu", `${placeLabels[c.place]}${c.country ? ` (${c.country})` : ""} — ${c.workAddress}`);
    labelValue(doc, "Dates", `du ${formatDateFr(c.startDate)} au ${formatDateFr(c.endDate)}`);
    labelValue(doc, "Durée", `${formatMinutes(c.plannedMinutes)}, au plus ${formatMinutes(c.weeklyMinutes)} par semaine`);
    labelValue(doc, "Planning", c.timetable);
    labelValue(doc, "Modalités de suivi", c.followUpModalities);
    labelValue(doc, "Heures hors ouverture du centre", c.outsideOpening ? `prévues ; contact joignable : ${c.centreContact ?? "—"}` : "non prévues");
    doc.addPage();
    heading(doc, "Signatures");
    if (d.signatures.length === 0) doc.text("Aucune signature.");
    for (const s of d.signatures) {
      const current = s.content_hash === d.period.agreement_hash;
      doc.font("Helvetica-Bold").text(`${partyLabels[s.party]} — ${s.signer_name}`).font("Helvetica");
      doc.text(`Le ${dateTimeSecondsFr(s.signed_at)}, ${s.method === "link" ? "par lien personnel" : "dans l'application"}, version ${s.version}${current ? "" : " (version antérieure : ne vaut pas pour celle-ci)"}`);
      doc.text(`Empreinte signée : ${s.content_hash}`).moveDown(0.5);
    }
    doc.moveDown().text(d.missing.length ? `Manquent : ${d.missing.map((p) => partyLabels[p]).join(", ")}.` : "La convention porte les trois signatures de sa version en vigueur.");
  }, opts);
  return { pdf, filename: `convention-${periodId.slice(0, 8)}.pdf` };
}

const modalityWords: Record<string, string> = { centre: "en centre", distance: "à distance", self_study: "autoformation", company: "en entreprise", gathering: "regroupement" };

/** CP-WELCOME: the booklet drawn from what the platform knows; its SHA-256 is recorded at delivery. */
export async function bookletPdf(db: Db, actor: Actor, pathId: string, now: Date, opts: { compress?: boolean } = {}) {
  const p = await db
    .selectFrom(pathRows().as("p"))
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .innerJoin(orderRows().as("o"), "o.id", "p.order_id")
    .innerJoin(providerRows().as("pr"), "pr.id", "p.provider_id")
    .leftJoin(accountRows().as("r"), "r.id", "t.pedagogical_referent_id")
    .select(["p.id", "p.provider_id", "p.entry_date", "p.planned_exit_date", "p.order_line_id", "t.first_name", "t.last_name", "o.co_funders", "o.number", "pr.name as provider", "r.full_name as referent", "r.email as referent_email"])
    .where("p.id", "=", pathId)
    .executeTakeFirst();
  if (!p) throw notFound("Parcours");
  requireVisible(actor, p.provider_id, "Parcours");
  const component = await db
    .selectFrom(componentRows().as("c"))
    .innerJoin(orderLineRows().as("ol"), "ol.component_id", "c.id")
    .select(["c.title", "c.certification_code"])
    .where("ol.id", "=", p.order_line_id)
    .executeTakeFirst();
  const items = await db.selectFrom(pathItemRows().as("i")).leftJoin(moduleRows().as("m"), "m.id", "i.module_id").select(["i.label", "i.modality", "i.planned_minutes", "i.exempted", "m.title"]).where("i.path_id", "=", pathId).orderBy("i.position").execute();
  const allSlots = await db.selectFrom(slotRows().as("s")).innerJoin(slotTraineeRows().as("st"), "st.slot_id", "s.id").select(["s.slot_date", "s.start_time", "s.end_time", "s.modality"]).where("st.path_id", "=", pathId).where("s.status", "!=", "cancelled").orderBy("s.starts_at").limit(2000).execute();
  const slots = allSlots.slice(0, 15);
  const referents = await db.selectFrom(providerReferentRows().as("r")).select(["r.kind", "r.full_name", "r.email", "r.phone"]).where("r.provider_id", "=", p.provider_id).execute();
  const settings = await welcomeSettings(db, p.provider_id);
  const rules = settings?.internal_rules_attachment_id ? await db.selectFrom(attachmentRows().as("a")).select(["a.filename", "a.sha256"]).where("a.id", "=", settings.internal_rules_attachment_id).executeTakeFirst() : undefined;
  const pdf = await renderPdf({ title: "Livret d'accueil", subject: `${p.first_name} ${p.last_name}` }, (doc) => {
    heading(doc, `Livret d'accueil — ${p.provider}`);
    doc.text(`Pour ${p.first_name} ${p.last_name}, édité le ${formatDateFr(parisDate(now))}`).moveDown();
    doc.font("Helvetica-Bold").text("Financement").font("Helvetica");
    doc.text(`Votre formation est financée par la Région Occitanie (dispositif Compétences Plus, commande ${p.number})${p.co_funders.length ? `, avec ${p.co_funders.join(", ")}` : ""}.`).moveDown();
    doc.font("Helvetica-Bold").text("Calendrier").font("Helvetica");
    doc.text(`Du ${formatDateFr(p.entry_date)} au ${formatDateFr(p.planned_exit_date)}.`);
    // CP-WELCOME: the weekly timetable, the typical week drawn from the path's schedule.
    const week = typicalWeek(allSlots);
    doc.moveDown().font("Helvetica-Bold").text("Semaine type").font("Helvetica");
    if (!week) doc.text("Votre emploi du temps n'est pas encore planifié : il vous sera remis dès la première séance.");
    else {
      doc.text(`D'après votre planning (semaine du ${formatDateFr(week.monday)}) :`);
      for (const d of week.days) doc.text(`• ${d.day[0].toUpperCase()}${d.day.slice(1)} : ${d.slots.map((x) => `${x.start}–${x.end} (${modalityWords[x.modality] ?? x.modality})`).join(", ")}`);
    }
    doc.moveDown().font("Helvetica-Bold").text("Premières séances").font("Helvetica");
    for (const s of slots) doc.text(`• ${formatDateFr(s.slot_date)}, ${s.start_time.slice(0, 5)}–${s.end_time.slice(0, 5)} (${modalityWords[s.modality] ?? s.modality})`);
    doc.moveDown().font("Helvetica-Bold").text("Contenu et certification").font("Helvetica");
    if (component) doc.text(`${component.title}${component.certification_code ? ` — certification ${component.certification_code}` : ""}`);
    for (const i of items) doc.text(`• ${i.title ?? i.label} — ${formatMinutes(i.planned_minutes)}${i.exempted ? " (dispensé)" : ""}`);
    doc.moveDown().font("Helvetica-Bold").text("Engagements réciproques").font("Helvetica").text(settings?.commitments || "Assiduité, ponctualité, émargement à chaque séance ; l'organisme s'engage à vous accompagner tout au long du parcours.");
    doc.moveDown().font("Helvetica-Bold").text("Règlement intérieur").font("Helvetica").text(rules ? `Remis avec ce livret : ${rules.filename} (SHA-256 ${rules.sha256}).` : "Remis par l'organisme.");
    doc.moveDown().font("Helvetica-Bold").text("Vos référents et contacts").font("Helvetica");
    if (p.referent) doc.text(`Référent·e pédagogique : ${p.referent}${p.referent_email ? ` — ${p.referent_email}` : ""}`);
    for (const r of referents) doc.text(`${r.kind} : ${r.full_name}${r.email ? ` — ${r.email}` : ""}${r.phone ? ` — ${r.phone}` : ""}`);
    if (settings?.catering || settings?.lodging) {
      doc.moveDown().font("Helvetica-Bold").text("Restauration et hébergement (CP-CATERING-LODGING-INFO)").font("Helvetica");
      if (settings.catering) doc.text(`Restauration : ${settings.catering}`);
      if (settings.lodging) doc.text(`Hébergement : ${settings.lodging}`);
    }
  }, opts);
  return { pdf, sha256: sha256Hex(pdf), filename: `livret-accueil-${pathId.slice(0, 8)}.pdf` };
}

/** CP-SOCIAL-PROTECTION-FORMS: the declaration (work stoppage or accident) — no pay data is kept or printed. */
export async function incidentPdf(db: Db, actor: Actor, id: string, now: Date, opts: { compress?: boolean } = {}) {
  const i = await incidentFor(db, actor, id);
  const t = await db.selectFrom(traineeRows().as("t")).select(["t.first_name", "t.last_name", "t.birth_date", "t.france_travail_id"]).where("t.id", "=", i.trainee_id).executeTakeFirstOrThrow();
  const provider = await db.selectFrom(providerRows().as("p")).select(["p.name", "p.siret", "p.address"]).where("p.id", "=", i.provider_id).executeTakeFirstOrThrow();
  const cover = await db.selectFrom("trainee_social_cover").select("region_provides").where("trainee_id", "=", i.trainee_id).executeTakeFirst();
  await db.updateTable("work_incident").set({ forms_generated_at: now }).where("id", "=", id).where("forms_generated_at", "is", null).execute();
  const pdf = await renderPdf({ title: i.kind === "accident" ? "Déclaration d'accident" : "Déclaration d'arrêt de travail" }, (doc) => {
    heading(doc, i.kind === "accident" ? "Déclaration d'accident — stagiaire de la formation professionnelle" : "Arrêt de travail — stagiaire de la formation professionnelle");
    labelValue(doc, "Organisme de formation", `${provider.name} (SIRET ${provider.siret})${provider.address ? `, ${provider.address}` : ""}`);
    labelValue(doc, "Stagiaire", `${t.first_name} ${t.last_name}, né·e le ${formatDateFr(t.birth_date)}`);
    if (t.france_travail_id) labelValue(doc, "Identifiant France Travail", t.france_travail_id);
    labelValue(doc, "Protection sociale assurée par la Région", cover ? (cover.region_provides ? "oui" : "non") : "non renseigné");
    labelValue(doc, i.kind === "accident" ? "Date de l'accident" : "Date de l'arrêt", formatDateFr(i.occurred_on));
    if (i.start_date) labelValue(doc, "Arrêt du", `${formatDateFr(i.start_date)}${i.end_date ? ` au ${formatDateFr(i.end_date)}` : ""}`);
    labelValue(doc, "Circonstances", i.description || "—");
    doc.moveDown().text("Attestation de salaire : la rémunération du ou de la stagiaire est versée par l'organisme payeur ; aucune donnée de paie n'est conservée par la plateforme.");
    doc.moveDown().text(`Formulaire établi le ${dateTimeSecondsFr(now)}, à transmettre sans délai au prestataire de la Région.`);
  }, opts);
  return { pdf, filename: `${i.kind === "accident" ? "accident" : "arret"}-${id.slice(0, 8)}.pdf` };
}
