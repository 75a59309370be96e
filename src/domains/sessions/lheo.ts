// LHEO 2.3 export of the published offer (formations → actions → sessions), the format CARIF-OREF
// catalogues pull (CP-INFO-SESSIONS, CP-OFFER-INFO). Element order follows the XSD's sequences
// (schemas/lheo-2.3.xsd); tests validate every export against it.
import { create } from "xmlbuilder2";
import type { Db } from "../../core/db/index.ts";
import { lheoDate, lheoLevelCode } from "./rules.ts";
import * as store from "./store.ts";

type XMLBuilder = ReturnType<typeof create>;

export const LHEO_NS = "http://lheo.gouv.fr/2.3";
/** FORMACODE descriptor of the public "demandeur d'emploi" (dictionary of publics visés). */
const PUBLIC_JOB_SEEKERS = "83056";
/** LHEO financer code 2: Conseil régional. */
const FINANCER_REGION = "2";
/** INSEE code of the Occitanie region. */
const REGION_OCCITANIE = "76";

interface Address {
  address: string;
  postcode: string;
  commune: string;
  departement_code: string;
}

export interface LheoData {
  sessions: store.SessionRow[];
  meetings: store.MeetingRow[];
  providers: store.ProviderFacts[];
  modalities: Map<string, string[]>;
  lineSites: Awaited<ReturnType<typeof store.lineSites>>;
  exportedAt: Date;
}

/** Cuts a text to an XSD maxLength (whole characters) and never leaves it empty. */
function clip(text: string | null | undefined, max: number, fallback: string): string {
  const t = (text ?? "").replace(/\s+/g, " ").trim() || fallback;
  return [...t].slice(0, max).join("");
}

function addAdresse(parent: XMLBuilder, a: Address, denomination?: string) {
  const adresse = parent.ele("adresse");
  if (denomination) adresse.ele("denomination").txt(clip(denomination, 255, "Site"));
  adresse.ele("ligne").txt(clip(a.address, 50, "Adresse non communiquée"));
  adresse.ele("codepostal").txt(/^\d{5}$/.test(a.postcode) ? a.postcode : "00000");
  adresse.ele("ville").txt(clip(a.commune, 50, "Non communiquée"));
  adresse.ele("departement").txt(a.departement_code.slice(0, 3));
  adresse.ele("region").txt(REGION_OCCITANIE);
  adresse.ele("pays").txt("FR");
  return adresse;
}

function addContactCoordonnees(parent: XMLBuilder, provider: store.ProviderFacts | undefined) {
  const coordonnees = parent.ele("coordonnees");
  const contact = provider?.contact;
  if (contact?.full_name) coordonnees.ele("nom").txt(clip(contact.full_name, 50, "Contact"));
  if (contact?.phone) coordonnees.ele("telfixe").ele("numtel").txt(clip(contact.phone, 25, "-"));
  if (contact?.email && contact.email.length >= 3) coordonnees.ele("courriel").txt(clip(contact.email, 160, "-"));
}

/** LHEO modalites-enseignement: 0 in person only, 2 at a distance only, 1 mixed. */
function teachingMode(modalities: string[] | undefined, eFormation: boolean): string {
  const list = modalities ?? [];
  const remote = list.filter((m) => m === "distance" || m === "self_study").length;
  if (list.length === 0) return eFormation ? "2" : "0";
  if (remote === 0) return "0";
  return remote === list.length ? "2" : "1";
}

const groupBy = <T, K>(items: T[], key: (t: T) => K) => {
  const map = new Map<K, T[]>();
  for (const i of items) map.set(key(i), [...(map.get(key(i)) ?? []), i]);
  return map;
};

function certification(parent: XMLBuilder, code: string | null) {
  if (!code) return;
  const rncp = /^RNCP ?(\d{1,10})$/i.exec(code);
  const rs = /^RS ?(\d{1,8})$/i.exec(code);
  if (rncp) parent.ele("certification").ele("code-RNCP").txt(rncp[1]);
  else if (rs) parent.ele("certification").ele("code-RS").txt(`RS${rs[1]}`);
}

/** Builds the LHEO document; undefined when there is no session (LHEO needs at least one formation). */
export function buildLheo(data: LheoData): string | undefined {
  if (data.sessions.length === 0) return undefined;
  const stamp = data.exportedAt.toISOString().replace(/\.\d{3}Z$/, "Z");
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele(LHEO_NS, "lheo", { "horodatage-export": stamp });
  const offres = root.ele("offres");
  const byComponent = groupBy(data.sessions, (s) => s.component_id);
  for (const [componentId, sessions] of byComponent) {
    const c = sessions[0];
    const provider = data.providers.find((p) => p.id === c.provider_id);
    const formation = offres.ele("formation", { numero: componentId });
    formation.ele("domaine-formation");
    formation.ele("intitule-formation").txt(clip(c.component_title, 255, "Formation"));
    // CP-OFFER-INFO: purpose, content, prerequisites and certification go out with every session.
    formation.ele("objectif-formation").txt(clip(c.purpose, 3000, c.component_title));
    formation.ele("resultats-attendus").txt(clip(c.purpose, 3000, "Compétences attestées par une attestation de compétences en fin de parcours."));
    formation.ele("contenu-formation").txt(clip(c.content, 3000, "Programme modulaire : le parcours de chaque stagiaire est construit après son positionnement."));
    formation.ele("certifiante").txt(c.certification_code ? "1" : "0");
    addContactCoordonnees(formation.ele("contact-formation"), provider);
    // Every path is individual, built from the component's modules after positioning (CP-MODULAR).
    formation.ele("parcours-de-formation").txt("2");
    // Compétences Plus requires no entry level ("sans niveau spécifique").
    formation.ele("code-niveau-entree").txt("1");
    certification(formation, c.certification_code);
    const level = lheoLevelCode(c.level_2019);
    if (level) formation.ele("code-niveau-sortie").txt(level);
    for (const [lineId, lineSessions] of groupBy(sessions, (s) => s.order_line_id)) {
      addAction(formation, lineId, lineSessions, data, provider);
    }
    addResponsible(formation, provider, c.provider_name);
  }
  return root.end({ prettyPrint: true });
}

function addAction(formation: XMLBuilder, lineId: string, sessions: store.SessionRow[], data: LheoData, provider: store.ProviderFacts | undefined) {
  const l = sessions[0];
  const sites = data.lineSites.filter((s) => s.order_line_id === lineId);
  const fallback: Address | undefined = sites[0] ?? provider?.firstSite ?? undefined;
  const action = formation.ele("action", { numero: lineId });
  action.ele("rythme-formation").txt("Parcours individualisé, à temps plein ou partiel selon le plan de formation du stagiaire.");
  action.ele("code-public-vise").txt(PUBLIC_JOB_SEEKERS);
  action.ele("info-public-vise").txt("Demandeurs d'emploi orientés par un prescripteur habilité (France Travail, Mission locale, Cap emploi…).");
  action.ele("niveau-entree-obligatoire").txt("0");
  action.ele("modalites-alternance").txt(l.average_path_company_minutes > 0 ? "Période en entreprise possible (70 heures au plus par parcours)." : "Sans période en entreprise.");
  action.ele("modalites-enseignement").txt(teachingMode(data.modalities.get(l.component_id), l.e_formation));
  action.ele("conditions-specifiques").txt(clip(l.prerequisites, 3000, "Aucun prérequis."));
  action.ele("prise-en-charge-frais-possible").txt("1");
  for (const s of sites) addAdresse(action.ele("lieu-de-formation").ele("coordonnees"), s, s.name);
  // Compétences Plus takes entries all year round (periodic entries).
  action.ele("modalites-entrees-sorties").txt("1");
  for (const s of sessions) {
    const session = action.ele("session", { numero: s.id });
    const periode = session.ele("periode");
    periode.ele("debut").txt(lheoDate(s.start_date));
    periode.ele("fin").txt(lheoDate(s.end_date));
    const address: Address | undefined = s.site_id
      ? { address: s.site_address ?? "", postcode: s.site_postcode ?? "", commune: s.site_commune ?? "", departement_code: s.site_departement ?? "" }
      : fallback;
    addAdresse(session.ele("adresse-inscription"), address ?? { address: "", postcode: "", commune: "", departement_code: "31" });
    session.ele("modalites-inscription").txt(s.e_formation ? "Sur prescription ou inscription directe en ligne (Occitanie e-formation)." : "Sur prescription d'un conseiller (France Travail, Mission locale, Cap emploi…).");
    if (s.recruitment_start || s.recruitment_end) {
      const p = session.ele("periode-inscription").ele("periode");
      p.ele("debut").txt(s.recruitment_start ? lheoDate(s.recruitment_start) : "00000000");
      p.ele("fin").txt(s.recruitment_end ? lheoDate(s.recruitment_end) : "99999999");
    }
    // etat-recrutement: 1 open, 2 closed.
    session.ele("etat-recrutement").txt(s.recruitment_open ? "1" : "2");
  }
  const meetings = data.meetings.filter((m) => m.order_line_id === lineId);
  const atSite = meetings.find((m) => m.site_id);
  if (atSite) {
    addAdresse(
      action.ele("adresse-information"),
      { address: atSite.site_address ?? "", postcode: atSite.site_postcode ?? "", commune: atSite.site_commune ?? "", departement_code: atSite.site_departement ?? "" },
      atSite.site_name ?? undefined,
    );
  }
  for (const m of meetings.slice(0, 3)) action.ele("date-information").ele("date").txt(lheoDate(m.meeting_date));
  // CP-FREE-OF-CHARGE: nothing is left to the trainee's charge.
  action.ele("frais-restants").txt("0");
  action.ele("nombre-heures-centre").txt(String(Math.round(l.average_path_centre_minutes / 60)));
  action.ele("nombre-heures-entreprise").txt(String(Math.round(l.average_path_company_minutes / 60)));
  action.ele("nombre-heures-total").txt(String(Math.round((l.average_path_centre_minutes + l.average_path_company_minutes) / 60)));
  action.ele("detail-conditions-prise-en-charge").txt("Formation financée par la Région Occitanie (Compétences Plus) : gratuite pour le stagiaire, qui a le statut de stagiaire de la formation professionnelle (sans rémunération).");
  action.ele("conventionnement").txt("1");
  const financer = action.ele("organisme-financeur");
  financer.ele("code-financeur").txt(FINANCER_REGION);
  financer.ele("nb-places-financees").txt(String(l.line_headcount));
}

function addResponsible(formation: XMLBuilder, provider: store.ProviderFacts | undefined, name: string) {
  const o = formation.ele("organisme-formation-responsable");
  // The declaration number (NDA) has 11 characters; unknown ones go out as zeros.
  o.ele("numero-activite").txt(provider?.nda && provider.nda.length === 11 ? provider.nda : "00000000000");
  o.ele("SIRET-organisme-formation").ele("SIRET").txt(provider?.siret ?? "00000000000000");
  o.ele("nom-organisme").txt(clip(name, 250, "Organisme"));
  o.ele("raison-sociale").txt(clip(name, 250, "Organisme"));
  const coordonnees = o.ele("coordonnees-organisme").ele("coordonnees");
  if (provider?.firstSite) addAdresse(coordonnees, provider.firstSite);
  addContactCoordonnees(o.ele("contact-organisme"), provider);
}

/**
 * Loads and builds the export. `publishedOnly` for the public feed; `providerId` limits to one
 * provider (its own download). Meetings: published ones from today on (at most 3 per action).
 */
export async function lheoExport(db: Db, scope: { providerId?: string; publishedOnly: boolean }, now: Date, today: string): Promise<string | undefined> {
  const sessions = await store.listSessions(db, { providerId: scope.providerId, publishedOnly: scope.publishedOnly });
  const lineIds = [...new Set(sessions.map((s) => s.order_line_id))];
  const [meetings, providers, modalities, lineSites] = await Promise.all([
    store.listMeetings(db, { orderLineIds: lineIds, publishedOnly: true, from: today }),
    store.providersByIds(db, [...new Set(sessions.map((s) => s.provider_id))]),
    store.modalitiesOf(db, [...new Set(sessions.map((s) => s.component_id))]),
    store.lineSites(db, lineIds),
  ]);
  return buildLheo({ sessions, meetings, providers, modalities, lineSites, exportedAt: now });
}
