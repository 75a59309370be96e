// LHEO 2.3 export of the published offer (formations → actions → sessions), the format CARIF-OREF
// catalogues pull (CP-INFO-SESSIONS, CP-OFFER-INFO). Element order follows the XSD's sequences
// (schemas/lheo-2.3.xsd); tests validate every export against it.
// Streamed (issue 16, point 5): sessions are read in keyset batches and the XML written as it goes by a
// small writer whose elements are opened and closed in document order, so memory stays bounded whatever
// the number of sessions. Only current and upcoming sessions go out (end date on or after today).
import { createHash } from "node:crypto";
import type { Db } from "../../core/db/index.ts";
import { lheoDate, lheoLevelCode } from "./rules.ts";
import * as store from "./store.ts";

/** An element being written: children and text must be added in document order (the writer closes what lies deeper). */
interface XMLBuilder {
  ele(name: string, attrs?: Record<string, string>): XMLBuilder;
  txt(text: string): XMLBuilder;
}

// Characters XML 1.0 forbids, even escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what we remove
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const escText = (t: string) => t.replace(FORBIDDEN, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escAttr = (t: string) => escText(t).replace(/"/g, "&quot;");

/** Writes XML forward only: `ele` on an element closes every element opened below it first. */
class XmlWriter {
  private parts: string[] = [];
  private stack: string[] = [];

  open(name: string, attrs: Record<string, string> = {}): XMLBuilder {
    const a = Object.entries(attrs).map(([k, v]) => ` ${k}="${escAttr(v)}"`).join("");
    this.parts.push(`\n<${name}${a}>`);
    this.stack.push(name);
    const depth = this.stack.length;
    const node: XMLBuilder = {
      ele: (n, at) => {
        this.closeTo(depth);
        return this.open(n, at);
      },
      txt: (text) => {
        this.closeTo(depth);
        this.parts.push(escText(text));
        return node;
      },
    };
    return node;
  }

  /** Closes the elements deeper than `depth`. */
  closeTo(depth: number) {
    while (this.stack.length > depth) {
      const name = this.stack.pop()!;
      const last = this.parts[this.parts.length - 1];
      // Text directly after its opening tag stays on its line.
      this.parts.push(last?.startsWith("\n<") || last?.startsWith("\n</") ? `\n</${name}>` : `</${name}>`);
    }
  }

  raw(text: string) {
    this.parts.push(text);
  }

  /** What was written since the last take (the streamed chunk). */
  take(): string {
    const out = this.parts.join("");
    this.parts = [];
    return out;
  }
}

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

function certification(parent: XMLBuilder, code: string | null) {
  if (!code) return;
  const rncp = /^RNCP ?(\d{1,10})$/i.exec(code);
  const rs = /^RS ?(\d{1,8})$/i.exec(code);
  if (rncp) parent.ele("certification").ele("code-RNCP").txt(rncp[1]);
  else if (rs) parent.ele("certification").ele("code-RS").txt(`RS${rs[1]}`);
}

/** The formation's header, up to its actions (CP-OFFER-INFO: purpose, content, prerequisites and certification go out with every session). */
function openFormation(offres: XMLBuilder, c: store.SessionRow, provider: store.ProviderFacts | undefined): XMLBuilder {
  const formation = offres.ele("formation", { numero: c.component_id });
  formation.ele("domaine-formation");
  formation.ele("intitule-formation").txt(clip(c.component_title, 255, "Formation"));
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
  return formation;
}

/** What the sessions being written refer to: providers, modalities, line sites, meetings (loaded batch by batch). */
interface Refs {
  providers: Map<string, store.ProviderFacts>;
  modalities: Map<string, string[]>;
  lineSites: Map<string, Awaited<ReturnType<typeof store.lineSites>>>;
  meetings: Map<string, store.MeetingRow[]>;
}

/** Where the writer stands: the open formation (component) and action (order line). */
interface Cursor {
  formation?: XMLBuilder;
  action?: XMLBuilder;
  first?: store.SessionRow;
  line?: store.SessionRow;
}

function writeSession(offres: XMLBuilder, s: store.SessionRow, refs: Refs, cur: Cursor) {
  if (cur.first?.component_id !== s.component_id) {
    closeFormation(cur, refs);
    cur.formation = openFormation(offres, s, refs.providers.get(s.provider_id));
    cur.first = s;
  }
  if (cur.line?.order_line_id !== s.order_line_id) {
    closeAction(cur, refs);
    cur.action = openAction(cur.formation!, s, refs);
    cur.line = s;
  }
  addSession(cur.action!, s, refs);
}

function closeAction(cur: Cursor, refs: Refs) {
  if (cur.action && cur.line) actionTail(cur.action, cur.line, refs);
  cur.action = undefined;
  cur.line = undefined;
}

function closeFormation(cur: Cursor, refs: Refs) {
  closeAction(cur, refs);
  if (cur.formation && cur.first) addResponsible(cur.formation, refs.providers.get(cur.first.provider_id), cur.first.provider_name);
  cur.formation = undefined;
  cur.first = undefined;
}

function openAction(formation: XMLBuilder, l: store.SessionRow, refs: Refs): XMLBuilder {
  const action = formation.ele("action", { numero: l.order_line_id });
  action.ele("rythme-formation").txt("Parcours individualisé, à temps plein ou partiel selon le plan de formation du stagiaire.");
  action.ele("code-public-vise").txt(PUBLIC_JOB_SEEKERS);
  action.ele("info-public-vise").txt("Demandeurs d'emploi orientés par un prescripteur habilité (France Travail, Mission locale, Cap emploi…).");
  action.ele("niveau-entree-obligatoire").txt("0");
  action.ele("modalites-alternance").txt(l.average_path_company_minutes > 0 ? "Période en entreprise possible (70 heures au plus par parcours)." : "Sans période en entreprise.");
  action.ele("modalites-enseignement").txt(teachingMode(refs.modalities.get(l.component_id), l.e_formation));
  action.ele("conditions-specifiques").txt(clip(l.prerequisites, 3000, "Aucun prérequis."));
  action.ele("prise-en-charge-frais-possible").txt("1");
  for (const s of refs.lineSites.get(l.order_line_id) ?? []) addAdresse(action.ele("lieu-de-formation").ele("coordonnees"), s, s.name);
  // Compétences Plus takes entries all year round (periodic entries).
  action.ele("modalites-entrees-sorties").txt("1");
  return action;
}

function addSession(action: XMLBuilder, s: store.SessionRow, refs: Refs) {
  const fallback: Address | undefined = refs.lineSites.get(s.order_line_id)?.[0] ?? refs.providers.get(s.provider_id)?.firstSite ?? undefined;
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

function actionTail(action: XMLBuilder, l: store.SessionRow, refs: Refs) {
  const meetings = refs.meetings.get(l.order_line_id) ?? [];
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

export interface LheoScope {
  providerId?: string;
  publishedOnly: boolean;
}

/** Sessions per batch of the streamed export. */
export const LHEO_BATCH = 500;

/** Loads what a batch of sessions refers to and was not loaded yet. */
async function loadRefs(db: Db, batch: store.SessionRow[], refs: Refs, today: string) {
  const missing = <T>(ids: string[], m: Map<string, T>) => [...new Set(ids)].filter((id) => !m.has(id));
  const providerIds = missing(batch.map((s) => s.provider_id), refs.providers);
  const componentIds = missing(batch.map((s) => s.component_id), refs.modalities);
  const lineIds = missing(batch.map((s) => s.order_line_id), refs.lineSites);
  for (const p of await store.providersByIds(db, providerIds)) refs.providers.set(p.id, p);
  const modalities = await store.modalitiesOf(db, componentIds);
  for (const id of componentIds) refs.modalities.set(id, modalities.get(id) ?? []);
  const sites = await store.lineSites(db, lineIds);
  const meetings = await store.listMeetings(db, { orderLineIds: lineIds, publishedOnly: true, from: today });
  for (const id of lineIds) {
    refs.lineSites.set(id, sites.filter((s) => s.order_line_id === id));
    refs.meetings.set(id, meetings.filter((m) => m.order_line_id === id));
  }
}

/**
 * The LHEO document as a stream of text chunks, one per batch of sessions (keyset paging on component,
 * order line, start date, id). `publishedOnly` for the public feed; `providerId` limits to one provider
 * (its own download). Sessions ending before `today` are left out; meetings: published ones from today
 * on (at most 3 per action). Yields nothing when there is no session (LHEO needs one formation).
 */
export async function* lheoStream(db: Db, scope: LheoScope, now: Date, today: string, batchSize = LHEO_BATCH): AsyncGenerator<string> {
  const w = new XmlWriter();
  const refs: Refs = { providers: new Map(), modalities: new Map(), lineSites: new Map(), meetings: new Map() };
  const cur: Cursor = {};
  let offres: XMLBuilder | undefined;
  let after: store.SessionKey | undefined;
  for (;;) {
    const batch = await store.currentSessionsBatch(db, { ...scope, today, after, limit: batchSize });
    if (batch.length === 0) break;
    if (!offres) {
      w.raw('<?xml version="1.0" encoding="UTF-8"?>');
      offres = w.open("lheo", { xmlns: LHEO_NS, "horodatage-export": now.toISOString().replace(/\.\d{3}Z$/, "Z") }).ele("offres");
    }
    await loadRefs(db, batch, refs, today);
    for (const s of batch) writeSession(offres, s, refs, cur);
    const last = batch[batch.length - 1];
    after = { componentId: last.component_id, orderLineId: last.order_line_id, startDate: last.start_date, id: last.id };
    yield w.take();
    if (batch.length < batchSize) break;
  }
  if (!offres) return;
  closeFormation(cur, refs);
  w.closeTo(0);
  yield `${w.take()}\n`;
}

/** The whole document as one string (the demo's check, small exports); undefined when there is no session. */
export async function lheoExport(db: Db, scope: LheoScope, now: Date, today: string): Promise<string | undefined> {
  let out = "";
  for await (const chunk of lheoStream(db, scope, now, today)) out += chunk;
  return out || undefined;
}

/**
 * The feed's validator: a digest of every row the document is made of (sessions with their component,
 * line, site and provider columns; meetings; providers' contacts and sites; line sites; modules), computed
 * in SQL without building the document, so an unchanged feed answers 304 for the price of one query.
 * `lastModified`: the newest creation or publication among the sessions and meetings (informative).
 */
export async function lheoValidator(db: Db, scope: LheoScope, today: string): Promise<{ etag: string; lastModified: Date | null; sessions: number }> {
  const f = await store.lheoFingerprint(db, { ...scope, today });
  const etag = `"${createHash("sha256").update(`${today}|${f.digest}`).digest("base64url").slice(0, 27)}"`;
  return { etag, lastModified: f.lastModified ? new Date(f.lastModified) : null, sessions: f.sessions };
}
