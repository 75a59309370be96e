// Batch import of paper/e-mail prescriptions from a CSV file (French Excel: `;`, UTF-8 with or without BOM).
// Every line is validated, then created in its own transaction: a line is created whole or refused whole.
import { parse } from "csv-parse/sync";
import type { Actor } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, invalid } from "../../core/errors.ts";
import type { Clock } from "../../core/time.ts";
import { listAuthorisedPrescribers } from "../prescribers/use-cases.ts";
import { PaperPrescriptionInput } from "./schema.ts";
import { enterPaperPrescription, requireSessionWriter } from "./use-cases.ts";

/** The documented header, in this order (README "Candidatures"). */
export const CSV_COLUMNS = [
  "nom",
  "prenom",
  "date_naissance",
  "email",
  "telephone",
  "identifiant_france_travail",
  "inscrit_france_travail",
  "niveau_diplome",
  "organisme_prescripteur",
  "projet",
  "accompagnement",
] as const;
/**
 * Each field of the input as the report names it: its French label and the CSV column it comes
 * from, never the schema's English key (issue 10, point 3: « import reports name fields in French »).
 */
export const CSV_FIELDS: Record<string, { label: string; column: (typeof CSV_COLUMNS)[number] }> = {
  lastName: { label: "Nom", column: "nom" },
  firstName: { label: "Prénom", column: "prenom" },
  birthDate: { label: "Date de naissance", column: "date_naissance" },
  email: { label: "Adresse e-mail", column: "email" },
  phone: { label: "Téléphone", column: "telephone" },
  franceTravailId: { label: "Identifiant France Travail", column: "identifiant_france_travail" },
  jobSeekerRegistered: { label: "Inscrit à France Travail", column: "inscrit_france_travail" },
  highestDiplomaLevel: { label: "Niveau du diplôme le plus élevé", column: "niveau_diplome" },
  prescriberOrganisationId: { label: "Organisme prescripteur", column: "organisme_prescripteur" },
  project: { label: "Projet", column: "projet" },
  supportGiven: { label: "Accompagnement", column: "accompagnement" },
};

/** « Date de naissance » (colonne date_naissance) : message — the label already said, it is not repeated. */
export function fieldMessage(key: string, message: string): string {
  const f = CSV_FIELDS[key];
  if (!f) return message;
  // A date in the file is written JJ/MM/AAAA (French Excel); the schema's message speaks of AAAA-MM-JJ.
  const text = key === "birthDate" && /AAAA-MM-JJ/.test(message) ? "date attendue au format JJ/MM/AAAA (ex. 14/02/1994)." : message.replace(new RegExp(`^${f.label}\\s*:\\s*`, "i"), "");
  return `${f.label} (colonne ${f.column}) : ${text}`;
}
export const MAX_CSV_LINES = 1000;
/** 1 000 lines of a dozen fields fit well within 2 Mo. */
export const MAX_CSV_BYTES = 2 * 1024 * 1024;

export interface ImportLine {
  line: number;
  name: string;
  status: "created" | "refused";
  candidacyId?: string;
  messages: string[];
}

const frDate = (s: string) => {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s.trim());
  return m ? `${m[3]}-${m[2]}-${m[1]}` : s.trim();
};
const yes = (s: string) => ["oui", "o", "1", "true", "vrai", "x"].includes(s.trim().toLowerCase());
const norm = (s: string) => s.trim().toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");

export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalid("Le fichier n'est pas encodé en UTF-8 : dans Excel, enregistrez-le au format « CSV UTF-8 (délimité par des points-virgules) ».");
  }
}

/** Imports the file's lines into `sessionId`; returns one report line per data line. */
export async function importCsv(db: Db, actor: Actor, clock: Clock, sessionId: string, bytes: Uint8Array): Promise<ImportLine[]> {
  await requireSessionWriter(db, actor, sessionId);
  let records: string[][];
  try {
    records = parse(decodeCsv(bytes), { delimiter: ";", bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw invalid(`Fichier CSV illisible : ${(e as Error).message}`);
  }
  const header = (records.shift() ?? []).map(norm);
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw invalid(`En-tête incomplet : colonne(s) manquante(s) ${missing.join(", ")}. En-tête attendu : ${CSV_COLUMNS.join(";")}`);
  if (records.length > MAX_CSV_LINES) throw invalid(`Le fichier compte ${records.length} lignes : ${MAX_CSV_LINES} au plus par import.`);
  const organisations = new Map((await listAuthorisedPrescribers(db)).map((o) => [norm(o.name), o.id]));
  const report: ImportLine[] = [];
  for (const [i, cells] of records.entries()) {
    const get = (c: (typeof CSV_COLUMNS)[number]) => cells[header.indexOf(c)] ?? "";
    const line = i + 2; // 1-based, after the header
    const name = `${get("prenom")} ${get("nom")}`.trim();
    const organisation = get("organisme_prescripteur");
    const organisationId = organisations.get(norm(organisation));
    const level = get("niveau_diplome").trim();
    const parsed = PaperPrescriptionInput.safeParse({
      sessionId,
      lastName: get("nom"),
      firstName: get("prenom"),
      birthDate: frDate(get("date_naissance")),
      email: get("email"),
      phone: get("telephone"),
      franceTravailId: get("identifiant_france_travail"),
      jobSeekerRegistered: yes(get("inscrit_france_travail")),
      highestDiplomaLevel: level ? (/^\d+$/.test(level) ? Number(level) : -1) : null,
      prescriberOrganisationId: organisationId ?? "",
      project: get("projet"),
      supportGiven: get("accompagnement"),
    });
    const messages: string[] = [];
    if (!organisationId) messages.push(`Organisme prescripteur « ${organisation} » absent de la liste des prescripteurs habilités (CP-PRESCRIBERS, CCTP §2.2).`);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) if (issue.path[0] !== "prescriberOrganisationId") messages.push(fieldMessage(String(issue.path[0] ?? ""), issue.message));
    }
    if (messages.length || !parsed.success) {
      report.push({ line, name, status: "refused", messages });
      continue;
    }
    try {
      const { id, warnings } = await enterPaperPrescription(db, actor, clock, parsed.data);
      report.push({ line, name, status: "created", candidacyId: id, messages: warnings.map((w) => w.message) });
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500 || e.status === 403) throw e;
      report.push({ line, name, status: "refused", messages: [e.detail] });
    }
  }
  return report;
}
