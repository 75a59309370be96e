// LHEO 2.3 export of the published offer (formations → actions → sessions), the format CARIF-OREF
// catalogues pull (CP-INFO-SESSIONS, CP-OFFER-INFO). Element order follows the XSD's sequences
// (schemas/lheo-2.3.xsd); tests validate every export against it.
// Streamed (issue 16, point 5): sessions are read in keyset batches and the XML written as it goes, so
// memory stays bounded whatever the number of sessions. Only current and upcoming sessions go out (end
// date on or after today). Each element is a template string through one escape function (`esc`): a
// generic element writer cost 7–12× the SQL read (docs/performance.md, « Growth bench »). What is the
// same for every session of an order line (its component, provider, sites, meetings) is read once per
// line, in one query per batch (store.feedLineFacts).
import { createHash } from "node:crypto";
import type { Db } from "../../core/db/index.ts";
import { lheoDate, lheoLevelCode } from "./rules.ts";
import * as store from "./store.ts";

// Characters XML 1.0 forbids, even escaped, and the five it wants escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what we remove
const SPECIAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF&<>"]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what we remove
const SPECIAL_G = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF&<>"]/g;
const ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
/** The one escape of the document, for text and attribute values alike. */
const esc = (t: string) => (SPECIAL.test(t) ? t.replace(SPECIAL_G, (c) => ENTITY[c] ?? "") : t);

/** An element with text (escaped). */
const el = (name: string, text: string) => `\n<${name}>${esc(text)}</${name}>`;
/** An element with children (already written), or empty. */
const wrap = (name: string, inner: string) => `\n<${name}>${inner}\n</${name}>`;

export const LHEO_NS = "http://lheo.gouv.fr/2.3";
/** FORMACODE descriptor of the public "demandeur d'emploi" (dictionary of publics visés). */
const PUBLIC_JOB_SEEKERS = "83056";
/** LHEO financer code 2: Conseil régional. */
const FINANCER_REGION = "2";
/** INSEE code of the Occitanie region. */
const REGION_OCCITANIE = "76";

interface Address {
  address: string | null;
  postcode: string | null;
  commune: string | null;
  departement_code: string | null;
}

const SPACES = /\s{2,}|[\t\n\r\f\v\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]/;
/** Cuts a text to an XSD maxLength (whole characters) and never leaves it empty. */
function clip(text: string | null | undefined, max: number, fallback: string): string {
  let t = text ?? "";
  if (SPACES.test(t)) t = t.replace(/\s+/g, " ");
  t = t.trim() || fallback;
  return t.length <= max ? t : [...t].slice(0, max).join("");
}

function adresse(a: Address, denomination?: string | null): string {
  return wrap(
    "adresse",
    (denomination ? el("denomination", clip(denomination, 255, "Site")) : "") +
      el("ligne", clip(a.address, 50, "Adresse non communiquée")) +
      el("codepostal", a.postcode && /^\d{5}$/.test(a.postcode) ? a.postcode : "00000") +
      el("ville", clip(a.commune, 50, "Non communiquée")) +
      el("departement", (a.departement_code ?? "").slice(0, 3)) +
      `\n<region>${REGION_OCCITANIE}</region>\n<pays>FR</pays>`,
  );
}

function contactCoordonnees(l: store.FeedLineFacts): string {
  const c = l.contact;
  let inner = "";
  if (c?.full_name) inner += el("nom", clip(c.full_name, 50, "Contact"));
  if (c?.phone) inner += wrap("telfixe", el("numtel", clip(c.phone, 25, "-")));
  if (c?.email && c.email.length >= 3) inner += el("courriel", clip(c.email, 160, "-"));
  return wrap("coordonnees", inner);
}

/** LHEO modalites-enseignement: 0 in person only, 2 at a distance only, 1 mixed. */
function teachingMode(modalities: string[] | null, eFormation: boolean): string {
  const list = modalities ?? [];
  const remote = list.filter((m) => m === "distance" || m === "self_study").length;
  if (list.length === 0) return eFormation ? "2" : "0";
  if (remote === 0) return "0";
  return remote === list.length ? "2" : "1";
}

function certification(code: string | null): string {
  if (!code) return "";
  const rncp = /^RNCP ?(\d{1,10})$/i.exec(code);
  const rs = /^RS ?(\d{1,8})$/i.exec(code);
  if (rncp) return wrap("certification", el("code-RNCP", rncp[1]));
  if (rs) return wrap("certification", el("code-RS", `RS${rs[1]}`));
  return "";
}

/** The formation's header, up to its actions (CP-OFFER-INFO: purpose, content, prerequisites and certification go out with every session). */
function formationHead(c: store.FeedLineFacts): string {
  const level = lheoLevelCode(c.level_2019);
  return (
    `\n<formation numero="${esc(c.component_id)}">\n<domaine-formation>\n</domaine-formation>` +
    el("intitule-formation", clip(c.component_title, 255, "Formation")) +
    el("objectif-formation", clip(c.purpose, 3000, c.component_title)) +
    el("resultats-attendus", clip(c.purpose, 3000, "Compétences attestées par une attestation de compétences en fin de parcours.")) +
    el("contenu-formation", clip(c.content, 3000, "Programme modulaire : le parcours de chaque stagiaire est construit après son positionnement.")) +
    el("certifiante", c.certification_code ? "1" : "0") +
    wrap("contact-formation", contactCoordonnees(c)) +
    // Every path is individual, built from the component's modules after positioning (CP-MODULAR).
    el("parcours-de-formation", "2") +
    // Compétences Plus requires no entry level ("sans niveau spécifique").
    el("code-niveau-entree", "1") +
    certification(c.certification_code) +
    (level ? el("code-niveau-sortie", level) : "")
  );
}

/** The formation's tail: the responsible organisation, then the closing tag. */
function formationTail(l: store.FeedLineFacts): string {
  // The declaration number (NDA) has 11 characters; unknown ones go out as zeros.
  const name = clip(l.provider_name, 250, "Organisme");
  return (
    wrap(
      "organisme-formation-responsable",
      el("numero-activite", l.nda && l.nda.length === 11 ? l.nda : "00000000000") +
        wrap("SIRET-organisme-formation", el("SIRET", l.siret ?? "00000000000000")) +
        el("nom-organisme", name) +
        el("raison-sociale", name) +
        wrap("coordonnees-organisme", wrap("coordonnees", l.first_site ? adresse(l.first_site) : "")) +
        wrap("contact-organisme", contactCoordonnees(l)),
    ) + "\n</formation>"
  );
}

const RHYTHM = el("rythme-formation", "Parcours individualisé, à temps plein ou partiel selon le plan de formation du stagiaire.");
const PUBLIC =
  el("code-public-vise", PUBLIC_JOB_SEEKERS) +
  el("info-public-vise", "Demandeurs d'emploi orientés par un prescripteur habilité (France Travail, Mission locale, Cap emploi…).") +
  el("niveau-entree-obligatoire", "0");
const WITH_COMPANY = el("modalites-alternance", "Période en entreprise possible (70 heures au plus par parcours).");
const WITHOUT_COMPANY = el("modalites-alternance", "Sans période en entreprise.");

function actionHead(l: store.FeedLineFacts): string {
  let out =
    `\n<action numero="${esc(l.id)}">` +
    RHYTHM +
    PUBLIC +
    (l.average_path_company_minutes > 0 ? WITH_COMPANY : WITHOUT_COMPANY) +
    el("modalites-enseignement", teachingMode(l.modalities, l.e_formation)) +
    el("conditions-specifiques", clip(l.prerequisites, 3000, "Aucun prérequis.")) +
    el("prise-en-charge-frais-possible", "1");
  for (const s of l.sites) out += wrap("lieu-de-formation", wrap("coordonnees", adresse(s, s.name)));
  // Compétences Plus takes entries all year round (periodic entries).
  return `${out}${el("modalites-entrees-sorties", "1")}`;
}

const CONDITIONS = el(
  "detail-conditions-prise-en-charge",
  "Formation financée par la Région Occitanie (Compétences Plus) : gratuite pour le stagiaire, qui a le statut de stagiaire de la formation professionnelle (sans rémunération).",
);

function actionTail(l: store.FeedLineFacts): string {
  let out = l.meeting_site ? wrap("adresse-information", adresse(l.meeting_site, l.meeting_site.name)) : "";
  for (const m of l.meetings) out += wrap("date-information", el("date", lheoDate(m.meeting_date)));
  const hours = (minutes: number) => String(Math.round(minutes / 60));
  return (
    out +
    // CP-FREE-OF-CHARGE: nothing is left to the trainee's charge.
    el("frais-restants", "0") +
    el("nombre-heures-centre", hours(l.average_path_centre_minutes)) +
    el("nombre-heures-entreprise", hours(l.average_path_company_minutes)) +
    el("nombre-heures-total", hours(l.average_path_centre_minutes + l.average_path_company_minutes)) +
    CONDITIONS +
    el("conventionnement", "1") +
    wrap("organisme-financeur", el("code-financeur", FINANCER_REGION) + el("nb-places-financees", String(l.headcount))) +
    "\n</action>"
  );
}

const BY_PRESCRIPTION = el("modalites-inscription", "Sur prescription d'un conseiller (France Travail, Mission locale, Cap emploi…).");
const ONLINE = el("modalites-inscription", "Sur prescription ou inscription directe en ligne (Occitanie e-formation).");
const UNKNOWN_ADDRESS: Address = { address: "", postcode: "", commune: "", departement_code: "31" };

/** The session's <adresse-inscription>: its site's, else its line's first site, else its provider's first site. */
function inscriptionAddress(s: store.FeedSessionRow, l: store.FeedLineFacts, cache: Map<string, string>): string {
  const key = s.site_id ?? `line:${s.order_line_id}`;
  let out = cache.get(key);
  if (out === undefined) {
    const a: Address = s.site_id
      ? { address: s.site_address, postcode: s.site_postcode, commune: s.site_commune, departement_code: s.site_departement }
      : (l.sites[0] ?? l.first_site ?? UNKNOWN_ADDRESS);
    out = wrap("adresse-inscription", adresse(a));
    if (cache.size > 10_000) cache.clear();
    cache.set(key, out);
  }
  return out;
}

function sessionXml(s: store.FeedSessionRow, l: store.FeedLineFacts, cache: Map<string, string>): string {
  let out = `\n<session numero="${esc(s.id)}">\n<periode>\n<debut>${lheoDate(s.start_date)}</debut>\n<fin>${lheoDate(s.end_date)}</fin>\n</periode>${inscriptionAddress(s, l, cache)}${l.e_formation ? ONLINE : BY_PRESCRIPTION}`;
  if (s.recruitment_start || s.recruitment_end) {
    const debut = s.recruitment_start ? lheoDate(s.recruitment_start) : "00000000";
    const fin = s.recruitment_end ? lheoDate(s.recruitment_end) : "99999999";
    out += `\n<periode-inscription>\n<periode>\n<debut>${debut}</debut>\n<fin>${fin}</fin>\n</periode>\n</periode-inscription>`;
  }
  // etat-recrutement: 1 open, 2 closed.
  return `${out}\n<etat-recrutement>${s.recruitment_open ? "1" : "2"}</etat-recrutement>\n</session>`;
}

export interface LheoScope {
  providerId?: string;
  publishedOnly: boolean;
}

/** Sessions per batch of the streamed export: one chunk, one read of sessions, at most one read of line facts. */
export const LHEO_BATCH = 2000;

/**
 * The LHEO document as a stream of text chunks, one per batch of sessions (keyset paging on component,
 * order line, start date, id). `publishedOnly` for the public feed; `providerId` limits to one provider
 * (its own download). Sessions ending before `today` are left out; meetings: published ones from today
 * on (at most 3 per action). Yields nothing when there is no session (LHEO needs one formation).
 */
export async function* lheoStream(db: Db, scope: LheoScope, now: Date, today: string, batchSize = LHEO_BATCH): AsyncGenerator<string> {
  /** Facts of the order lines met and not yet closed (the keyset order writes a line's sessions together). */
  const lines = new Map<string, store.FeedLineFacts>();
  const addresses = new Map<string, string>();
  let formation: store.FeedLineFacts | undefined;
  let action: store.FeedLineFacts | undefined;
  let started = false;
  let after: store.SessionKey | undefined;
  // The lines to write, in order; each batch reads the sessions of the next lines, about batchSize of them.
  const todo = await store.feedLines(db, { ...scope, today });
  let next = 0;
  while (next < todo.length) {
    let end = next;
    for (let n = 0; end < todo.length && n < batchSize; end++) n += todo[end].n;
    const lineIds = todo.slice(next, end).map((l) => l.order_line_id);
    const batch = await store.feedSessionsBatch(db, { ...scope, today, lineIds, after, limit: batchSize });
    // A full batch may have stopped inside a line: go on from the last session's line; otherwise these lines are done.
    if (batch.length < batchSize) next = end;
    else next = todo.findIndex((l, i) => i >= next && l.order_line_id === batch[batch.length - 1].order_line_id);
    if (batch.length === 0) continue;
    const missing = [...new Set(batch.map((s) => s.order_line_id))].filter((id) => !lines.has(id));
    for (const l of await store.feedLineFacts(db, missing, today)) lines.set(l.id, l);
    let out = "";
    if (!started) {
      out = `<?xml version="1.0" encoding="UTF-8"?>\n<lheo xmlns="${LHEO_NS}" horodatage-export="${now.toISOString().replace(/\.\d{3}Z$/, "Z")}">\n<offres>`;
      started = true;
    }
    for (const s of batch) {
      if (action?.id !== s.order_line_id) {
        const l = lines.get(s.order_line_id);
        if (!l) throw new Error(`LHEO: order line ${s.order_line_id} has no facts`);
        if (action) {
          out += actionTail(action);
          lines.delete(action.id);
        }
        if (formation?.component_id !== l.component_id) {
          if (formation) out += formationTail(formation);
          formation = l;
          out += formationHead(l);
        }
        action = l;
        out += actionHead(l);
      }
      out += sessionXml(s, action, addresses);
    }
    const last = batch[batch.length - 1];
    after = { componentId: last.component_id, orderLineId: last.order_line_id, startDate: last.start_date, id: last.id };
    yield out;
  }
  if (!started || !action || !formation) return;
  yield `${actionTail(action)}${formationTail(formation)}\n</offres>\n</lheo>\n`;
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
