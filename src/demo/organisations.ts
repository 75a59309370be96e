// The Region, its two lots, three providers (sites, referents, staff) and two prescriber advisers.
// Names and addresses are fictional but plausible; SIRETs are Luhn-valid (SIREN and SIRET).
import { roleLabels } from "../core/auth/actor.ts";
import type { Category, ReferentKind, Role } from "../core/db/schema.ts";
import type { Rng } from "./random.ts";
import type { DemoRows } from "./rows.ts";

export type LotKey = "lot1" | "lot2";
export type ProviderKey = "garonne" | "imc" | "tremplin";

const DOMAIN = "demo.competences-plus.fr";
export const REGION_EMAIL = `region@${DOMAIN}`;
/** A provider's staff account (direction.garonne@…, referent1.imc@…, formateur.tremplin@…). */
export const staffEmail = (provider: ProviderKey, local: "direction" | "referent1" | "referent2" | "formateur") => `${local}.${provider}@${DOMAIN}`;

export const LOTS: Record<LotKey, { code: string; name: string; departements: string[] }> = {
  lot1: { code: "LOT-1", name: "Ouest Occitanie", departements: ["09", "31", "32", "46", "65", "81", "82"] },
  lot2: { code: "LOT-2", name: "Est Occitanie", departements: ["11", "12", "30", "34", "48", "66"] },
};

// CP-LOTS: what the Region expects in every lot.
const EXPECTED_COMPONENTS: [string, Category][] = [
  ["Anglais professionnel", "transverse"],
  ["Bureautique et compétences numériques (PIX, TOSA)", "transverse"],
  ["Anglais en e-formation (Occitanie e-formation)", "transverse"],
  ["CACES R489 chariots de manutention", "regulatory"],
  ["Habilitations électriques", "regulatory"],
  ["Préparation aux sélections du sanitaire et social (niveau 3)", "specific_preparation"],
  ["Préparation aux concours de catégorie C de la fonction publique", "specific_preparation"],
];

export interface SiteSpec {
  key: string;
  lot: LotKey;
  name: string;
  address: string;
  postcode: string;
  commune: string;
  departement: string;
}

interface ProviderSpec {
  key: ProviderKey;
  name: string;
  /** Short enough for the aligned list of demo accounts printed at start-up. */
  shortName: string;
  siret: string;
  nda: string;
  legalRepresentative: string;
  address: string;
  qualiopiNumber: string;
  /** Years after (or before, when negative) the demo year; one provider's certificate is expired. */
  qualiopiValidUntil: (year: number) => string;
  referents: Record<Exclude<ReferentKind, "platform">, string>;
  admin: string;
  pedagogicalReferents: [string, string];
  trainer: string;
  sites: SiteSpec[];
}

const PROVIDERS: ProviderSpec[] = [
  {
    key: "garonne",
    name: "Garonne Formation Conseil",
    shortName: "Garonne",
    siret: "81245307400013",
    nda: "76310912331",
    legalRepresentative: "Sophie Delmas, directrice générale",
    address: "18 boulevard Lascrosses, 31000 Toulouse",
    qualiopiNumber: "FR065412-1",
    qualiopiValidUntil: (y) => `${y + 2}-03-31`,
    referents: {
      administrative: "Nathalie Roques",
      company_relations: "Julien Castan",
      public_mobilisation: "Amina Benali",
      disability: "Pierre Soulié",
      equality: "Camille Vidal",
      information_system: "Thomas Barthe",
    },
    admin: "Sophie Delmas",
    pedagogicalReferents: ["Émilie Fabre", "Karim Haddad"],
    trainer: "Laurent Pujol",
    sites: [
      { key: "toulouse", lot: "lot1", name: "Garonne Formation — Toulouse Lascrosses", address: "18 boulevard Lascrosses", postcode: "31000", commune: "Toulouse", departement: "31" },
      { key: "albi", lot: "lot1", name: "Garonne Formation — Albi", address: "5 avenue Gambetta", postcode: "81000", commune: "Albi", departement: "81" },
      { key: "montauban", lot: "lot1", name: "Garonne Formation — Montauban", address: "27 rue de la République", postcode: "82000", commune: "Montauban", departement: "82" },
    ],
  },
  {
    key: "imc",
    name: "Institut Méditerranéen des Compétences",
    shortName: "IMC",
    siret: "79318264300015",
    nda: "76340458734",
    legalRepresentative: "Marc Esteve, président",
    address: "1350 avenue Albert Einstein, 34000 Montpellier",
    qualiopiNumber: "B02871-2022",
    qualiopiValidUntil: (y) => `${y + 1}-11-30`,
    referents: {
      administrative: "Isabelle Ferrer",
      company_relations: "David Sanchez",
      public_mobilisation: "Léa Mas",
      disability: "Hélène Combes",
      equality: "Nadia Cherif",
      information_system: "Romain Salvat",
    },
    admin: "Marc Esteve",
    pedagogicalReferents: ["Claire Vergnes", "Youssef Amrani"],
    trainer: "Sandrine Rey",
    sites: [
      { key: "montpellier", lot: "lot2", name: "IMC — Montpellier Millénaire", address: "1350 avenue Albert Einstein", postcode: "34000", commune: "Montpellier", departement: "34" },
      { key: "nimes", lot: "lot2", name: "IMC — Nîmes Feuchères", address: "9 avenue Feuchères", postcode: "30000", commune: "Nîmes", departement: "30" },
      { key: "perpignan", lot: "lot2", name: "IMC — Perpignan", address: "14 boulevard Georges Clemenceau", postcode: "66000", commune: "Perpignan", departement: "66" },
    ],
  },
  {
    key: "tremplin",
    name: "Tremplin Pyrénées Formation",
    shortName: "Tremplin",
    siret: "84027159700014",
    nda: "76650123465",
    legalRepresentative: "Jean-Luc Carrère, gérant",
    address: "8 rue Brauhauban, 65000 Tarbes",
    qualiopiNumber: "QUA-2021-00917",
    // CP-QUALIOPI: expired at the end of last year, so this provider and its orders carry a warning.
    qualiopiValidUntil: (y) => `${y - 1}-12-15`,
    referents: {
      administrative: "Martine Cazals",
      company_relations: "Olivier Bousquet",
      public_mobilisation: "Fatima Ouali",
      disability: "Bernard Teyssier",
      equality: "Aurélie Puech",
      information_system: "Nicolas Alibert",
    },
    admin: "Jean-Luc Carrère",
    pedagogicalReferents: ["Sylvie Marty", "Mehdi Bouzid"],
    trainer: "Céline Laffont",
    sites: [
      { key: "tarbes", lot: "lot1", name: "Tremplin — Tarbes centre", address: "8 rue Brauhauban", postcode: "65000", commune: "Tarbes", departement: "65" },
      { key: "auch", lot: "lot1", name: "Tremplin — Auch", address: "11 rue Victor Hugo", postcode: "32000", commune: "Auch", departement: "32" },
      { key: "carcassonne", lot: "lot2", name: "Tremplin — Carcassonne", address: "20 boulevard Barbès", postcode: "11000", commune: "Carcassonne", departement: "11" },
      { key: "rodez", lot: "lot2", name: "Tremplin — Rodez", address: "6 avenue Victor Hugo", postcode: "12000", commune: "Rodez", departement: "12" },
    ],
  },
];

const PRESCRIBER_USERS = [
  { local: "conseiller.francetravail", fullName: "Antoine Lacombe", organisation: "France Travail Toulouse Compans", label: "Conseiller France Travail" },
  { local: "conseillere.missionlocale", fullName: "Manon Galy", organisation: "Mission Locale de Montpellier", label: "Conseillère Mission Locale" },
] as const;

export const PRESCRIBER_ORGANISATIONS = PRESCRIBER_USERS.map((p) => p.organisation);

export interface DemoStaff {
  providerId: string;
  adminId: string;
  referentIds: [string, string];
  trainerId: string;
}

export interface DemoOrganisations {
  regionUserId: string;
  lotIds: Record<LotKey, string>;
  providers: Record<ProviderKey, DemoStaff>;
  sites: Record<string, { id: string; provider: ProviderKey } & SiteSpec>;
}

const slug = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]+/g, ".")
    .replace(/^\.|\.$/g, "");

const phone = (rng: Rng) => `05 ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`;

export function buildOrganisations(
  rows: DemoRows,
  rng: Rng,
  ctx: { year: number; passwordHash: string; prescriberOrganisationIds: Record<string, string> },
): DemoOrganisations {
  const user = (email: string, fullName: string, role: Role, ids: { provider?: string; prescriber?: string } = {}) => {
    const id = rng.uuid();
    rows.app_user.push({
      id,
      email,
      password_hash: ctx.passwordHash,
      full_name: fullName,
      role,
      provider_id: ids.provider ?? null,
      prescriber_organisation_id: ids.prescriber ?? null,
      trainee_id: null,
    });
    return id;
  };

  const regionUserId = user(REGION_EMAIL, "Claire Fabre", "region_officer");

  const lotIds = {} as Record<LotKey, string>;
  for (const key of Object.keys(LOTS) as LotKey[]) {
    const lot = LOTS[key];
    const id = (lotIds[key] = rng.uuid());
    rows.lot.push({ id, code: lot.code, name: lot.name, framework_end: `${ctx.year + 1}-12-31` });
    for (const departement_code of lot.departements) rows.lot_departement.push({ lot_id: id, departement_code });
    for (const [title, category] of EXPECTED_COMPONENTS) rows.lot_expected_component.push({ id: rng.uuid(), lot_id: id, title, category });
  }

  const providers = {} as Record<ProviderKey, DemoStaff>;
  const sites: DemoOrganisations["sites"] = {};
  for (const p of PROVIDERS) {
    const providerId = rng.uuid();
    rows.provider.push({
      id: providerId,
      name: p.name,
      siret: p.siret,
      nda: p.nda,
      legal_representative: p.legalRepresentative,
      address: p.address,
      qualiopi_issuer: "AFNOR Certification",
      qualiopi_number: p.qualiopiNumber,
      qualiopi_valid_until: p.qualiopiValidUntil(ctx.year),
    });
    // Referents' addresses stay under the demo domain so no notification ever reaches a real mailbox.
    const domain = `${p.key}.${DOMAIN}`;
    for (const [kind, fullName] of Object.entries(p.referents) as [ReferentKind, string][]) {
      rows.provider_referent.push({ id: rng.uuid(), provider_id: providerId, kind, full_name: fullName, email: `${slug(fullName)}@${domain}`, phone: phone(rng) });
    }
    for (const s of p.sites) {
      const id = rng.uuid();
      sites[s.key] = { ...s, id, provider: p.key };
      rows.site.push({ id, provider_id: providerId, name: s.name, address: s.address, postcode: s.postcode, commune: s.commune, departement_code: s.departement });
    }
    const staff = (local: Parameters<typeof staffEmail>[1]) => staffEmail(p.key, local);
    providers[p.key] = {
      providerId,
      adminId: user(staff("direction"), p.admin, "provider_admin", { provider: providerId }),
      referentIds: [
        user(staff("referent1"), p.pedagogicalReferents[0], "pedagogical_referent", { provider: providerId }),
        user(staff("referent2"), p.pedagogicalReferents[1], "pedagogical_referent", { provider: providerId }),
      ],
      trainerId: user(staff("formateur"), p.trainer, "trainer", { provider: providerId }),
    };
  }

  for (const p of PRESCRIBER_USERS) {
    user(`${p.local}@${DOMAIN}`, p.fullName, "prescriber", { prescriber: ctx.prescriberOrganisationIds[p.organisation] });
  }
  return { regionUserId, lotIds, providers, sites };
}

/** The accounts printed by `npm run demo` (French role labels). */
export const TRAINEE_EMAIL = `stagiaire@${DOMAIN}`;

export function demoLogins(): { role: string; email: string }[] {
  // Each account says its role as the README's table names it (roleLabels), then whose it is.
  const logins = [{ role: roleLabels.region_officer, email: REGION_EMAIL }];
  const staff = (role: Role) => roleLabels[role].replace(" (organisme)", "");
  for (const p of PROVIDERS) {
    logins.push(
      { role: `${staff("provider_admin")} — ${p.shortName}`, email: `direction.${p.key}@${DOMAIN}` },
      { role: `${staff("pedagogical_referent")} — ${p.shortName}`, email: `referent1.${p.key}@${DOMAIN}` },
      { role: `${staff("pedagogical_referent")} — ${p.shortName}`, email: `referent2.${p.key}@${DOMAIN}` },
      { role: `${staff("trainer")} — ${p.shortName}`, email: `formateur.${p.key}@${DOMAIN}` },
    );
  }
  for (const p of PRESCRIBER_USERS) logins.push({ role: `${roleLabels.prescriber} — ${p.label}`, email: `${p.local}@${DOMAIN}` });
  logins.push({ role: roleLabels.trainee, email: TRAINEE_EMAIL });
  return logins;
}
