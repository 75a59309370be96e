// Trainees and their individual paths: positioning, modules (some exempted or shortened), company
// periods, self-study, deposits and status history. Hard rules hold for every path (≤ 200 h with
// positioning, ≤ 70 h in company, entry in year Y, exit by the order's end); a few warnings are
// seeded on purpose so the compliance screens have something to show.
import type { PathStatus } from "../core/db/schema.ts";
import { COMPANY_MAX_MINUTES, PATH_MAX_MINUTES } from "../core/scheme.ts";
import { addDays } from "../core/time.ts";
import type { DemoOrganisations } from "./organisations.ts";
import type { DemoLine } from "./orders.ts";
import { createIdentities } from "./people.ts";
import type { Rng } from "./random.ts";
import { type DemoRows, hours, mondayOnOrAfter, morningOf } from "./rows.ts";

type Special = "positioning90" | "positioning14h" | "treExempted" | "exactly200h" | "oralOnly";

// Seeded warnings and boundaries, by order line and path index.
const SPECIALS: Record<string, Special> = {
  "imc.civilService#2": "positioning90", // CP-POSITIONING-2-14H warning: 1 h 30
  "imc.civilService#3": "positioning14h", // exactly 14 h: no warning
  "tremplin.english#1": "treExempted", // CP-TRE-MIN-14H warning on the path
  "garonne.forklift#2": "exactly200h", // CP-PATH-MAX-200H boundary: exactly 200 h is allowed
  "tremplin.careAssistant#2": "oralOnly", // CP-PREP-WRITTEN-ORAL: oral training only
};

// CP-DEPOSIT-MAX-200: material lent against a refundable deposit (never more than 200 € per path).
const DEPOSITS: Record<string, { material: string; cents: number; kept?: string }[]> = {
  "imc.englishEFormation#0": [{ material: "Ordinateur portable prêté avec son chargeur", cents: 15_000, kept: "Ordinateur non restitué après l'abandon malgré deux relances écrites" }],
  "imc.englishEFormation#1": [
    { material: "Ordinateur portable prêté avec son chargeur", cents: 15_000 },
    { material: "Clé 4G de connexion internet", cents: 5_000 },
  ],
  "imc.englishEFormation#2": [{ material: "Ordinateur portable prêté avec son chargeur", cents: 15_000 }],
  "imc.office#0": [{ material: "Ordinateur portable prêté avec son chargeur", cents: 15_000 }],
  "garonne.english#0": [{ material: "Casque audio avec micro", cents: 3_000 }],
  "garonne.english#2": [{ material: "Casque audio avec micro", cents: 3_000 }],
};

// CP-ELIGIBLE-PUBLIC: these candidates are not yet registered as job seekers, so their paths stay drafts.
const UNREGISTERED_LINES = new Set(["garonne.forklift", "imc.office", "imc.englishEFormation", "tremplin.electrical"]);

const EXEMPTION_REASONS = [
  "Acquis validés au positionnement (test réussi)",
  "Expérience professionnelle équivalente constatée au positionnement",
  "Compétences déjà attestées par une certification obtenue",
];
const PRIOR_LEARNING = [
  "CAP Agent polyvalent de restauration, 3 ans en restauration collective",
  "Baccalauréat professionnel Commerce, expériences de vente en grande surface",
  "Sans diplôme, 5 ans d'expérience en logistique en intérim",
  "BEP Carrières sanitaires et sociales, aide à domicile pendant 2 ans",
  "Niveau 3e, emplois saisonniers agricoles",
  "Baccalauréat général, 2 ans d'employé administratif",
  "Titre professionnel Agent de propreté et d'hygiène",
];
const COMPETENCES = [
  "Bonne expression orale, écrit à consolider, aisance relationnelle",
  "Rigueur et ponctualité, bases solides en calcul, outils numériques peu pratiqués",
  "Autonomie dans les démarches en ligne, compréhension écrite correcte",
  "Motivation affirmée, projet professionnel clair, confiance en soi à renforcer",
];
const METHODS = [
  "Présentiel en petit groupe, exercices différenciés, autoformation accompagnée en centre",
  "Accompagnement individuel renforcé, mises en situation pratiques",
  "Alternance de présentiel et de période en entreprise, tutorat individuel",
];
const DROP_REASONS = ["Reprise d'emploi (CDD de six mois)", "Déménagement hors de la région", "Raisons de santé", "Entrée en contrat d'apprentissage"];

export function buildPaths(rows: DemoRows, rng: Rng, orgs: DemoOrganisations, lines: DemoLine[], year: number): void {
  const all = lines.flatMap((line, lineIndex) => line.spec.paths.map((status, index) => ({ line, lineIndex, status, index })));
  const unregistered = new Set(all.flatMap((p, i) => (p.status === "draft" && UNREGISTERED_LINES.has(p.line.key) ? [i] : [])));
  const identities = createIdentities(rng, all.length, unregistered);
  let draftsWithoutRestitution = 2; // positioning done, restitution still to come

  all.forEach(({ line, lineIndex, status, index }, i) => {
    const tag = `${line.key}#${index}`;
    const special = SPECIALS[tag];
    const staff = orgs.providers[line.providerKey];
    const referentId = staff.referentIds[i % 2];
    const component = line.component;
    const who = identities[i];

    // Entry dates: periodic Monday entries (CP-PERIODIC-ENTRY); drafts are planned for the autumn.
    const firstEntry = mondayOnOrAfter(addDays(line.plannedStart, line.spec.firstEntryAfter));
    const cohort = line.spec.cohortSize ?? 1;
    const entryDate =
      status === "draft"
        ? mondayOnOrAfter(addDays(`${year}-09-01`, (lineIndex % 5) * 7))
        : addDays(firstEntry, Math.floor(index / cohort) * line.spec.entryEvery);

    const positioningMinutes =
      special === "positioning90" ? 90 : special === "positioning14h" ? hours(14) : rng.pick([150, 180, 210, 240, 300, 360, 420]);

    // Path items from the component's modules, individualised (CP-MODULAR).
    const items: DemoRows["path_item"] = [];
    const pathId = rng.uuid();
    const individualised = special !== "exactly200h"; // the boundary path keeps every module
    let exemptions = 0;
    let shortened = false;
    const exempted: string[] = [];
    for (const mod of component.modules) {
      let planned = mod.minutes;
      let reason: string | null = null;
      const core = !mod.tag && (mod.modality === "centre" || mod.modality === "distance");
      if (special === "treExempted" && mod.tag === "job_search") {
        reason = "Recherche d'emploi déjà outillée : CV et entretiens travaillés avec la conseillère France Travail";
      } else if (special === "oralOnly" && mod.prep === "written") {
        reason = "Admissible à l'écrit de la session en cours : préparation de l'oral uniquement";
      } else if (individualised && core && exemptions < 2 && rng.chance(0.12)) {
        reason = rng.pick(EXEMPTION_REASONS);
        exemptions++;
      } else if (individualised && core && !shortened && rng.chance(0.15)) {
        planned = Math.max(60, Math.round((mod.minutes * 2) / 3 / 60) * 60); // short path
        shortened = true;
      }
      if (reason) exempted.push(mod.title);
      items.push({
        id: rng.uuid(),
        path_id: pathId,
        module_id: mod.id,
        label: mod.title,
        modality: mod.modality,
        self_study_location: mod.modality !== "self_study" ? null : selfStudyLocation(component.template.eFormation ?? false, component.hybrid, rng),
        planned_minutes: reason ? 0 : planned,
        exempted: reason !== null,
        exemption_reason: reason,
        position: items.length,
      });
    }

    // Optional company period (CP-COMPANY-MAX-70H), only on lines whose order plans company hours.
    let total = positioningMinutes + items.reduce((sum, it) => sum + it.planned_minutes, 0);
    const room = PATH_MAX_MINUTES - total;
    let company = 0;
    if (special === "exactly200h") company = room;
    else if (line.spec.companyHours > 0 && rng.chance(0.5)) company = Math.min(rng.pick([hours(35), hours(49), hours(70)]), room);
    if (company >= hours(14)) {
      items.push({
        id: rng.uuid(),
        path_id: pathId,
        module_id: null,
        label: "Période en entreprise : stage d'application",
        modality: "company",
        self_study_location: null,
        planned_minutes: company,
        position: items.length,
      });
      total += company;
    }
    if (total > PATH_MAX_MINUTES || company > COMPANY_MAX_MINUTES) throw new Error(`demo: path ${tag} breaks CP-PATH-MAX-200H or CP-COMPANY-MAX-70H`);

    // About 30 h a week; the path must end by the order's planned end (CP-PATH-WITHIN-ORDER).
    const weeks = Math.max(2, Math.ceil(total / hours(30)));
    const computedExit = addDays(entryDate, weeks * 7 - 3);
    const plannedExit = minDate(computedExit, line.plannedEnd);
    const actualExit =
      status === "closed" ? plannedExit : status === "dropped" ? minDate(addDays(entryDate, rng.int(14, 35)), plannedExit) : null;
    const restitution = status === "draft" && draftsWithoutRestitution-- > 0 ? null : addDays(entryDate, 2);

    const traineeId = rng.uuid();
    rows.trainee.push({
      id: traineeId,
      provider_id: staff.providerId,
      first_name: who.firstName,
      last_name: who.lastName,
      birth_date: who.birthDate,
      email: who.email,
      phone: who.phone,
      france_travail_id: who.franceTravailId,
      job_seeker_registered: who.jobSeekerRegistered,
      pedagogical_referent_id: referentId,
      cv_updated_on: status !== "draft" && rng.chance(0.6) ? minDate(addDays(entryDate, rng.int(7, 21)), actualExit ?? plannedExit) : null,
    });
    rows.path.push({
      id: pathId,
      trainee_id: traineeId,
      order_id: line.orderId,
      order_line_id: line.id,
      provider_id: staff.providerId,
      site_id: line.siteIds[index % line.siteIds.length],
      status,
      entry_date: entryDate,
      planned_exit_date: plannedExit,
      actual_exit_date: actualExit,
    });
    rows.positioning.push({
      path_id: pathId,
      minutes: positioningMinutes,
      evaluations: component.template.evaluations,
      restitution_on: restitution,
      prior_learning: rng.pick(PRIOR_LEARNING),
      competences: rng.pick(COMPETENCES),
      recommended_exemptions: exempted.length ? exempted.join(" ; ") : "Aucune dispense",
      recommended_minutes: total,
      recommended_methods: rng.pick(METHODS),
      recommends_access_site: component.template.eFormation ? rng.chance(0.5) : false,
      recorded_by: referentId,
      recorded_at: morningOf(restitution ?? entryDate),
    });
    rows.path_item.push(...items);

    for (const d of DEPOSITS[tag] ?? []) {
      rows.deposit.push({
        id: rng.uuid(),
        path_id: pathId,
        amount_cents: d.cents,
        material: d.material,
        taken_on: entryDate,
        refunded_on: actualExit && !d.kept ? actualExit : null,
        kept_reason: d.kept ?? null,
        recorded_by: referentId,
      });
    }
    logHistory(rows, { pathId, status, restitution, actualExit, actorId: referentId, rng });
  });
}

function selfStudyLocation(eFormation: boolean, hybrid: string, rng: Rng): "remote" | "centre" {
  if (eFormation) return "remote";
  // Remote self-study counts as distance (CP-DISTANCE-MAX-50): only on a component whose hybrid mode is approved.
  return hybrid === "approved" && rng.chance(0.5) ? "remote" : "centre";
}

const minDate = (a: string, b: string) => (a < b ? a : b);

function logHistory(
  rows: DemoRows,
  p: { pathId: string; status: PathStatus; restitution: string | null; actualExit: string | null; actorId: string; rng: Rng },
): void {
  if (p.status === "draft" || !p.restitution) return;
  const base = { entity: "path", entity_id: p.pathId, actor_id: p.actorId };
  rows.transition_log.push({ ...base, from_status: "draft", to_status: "validated", reason: "Positionnement restitué au stagiaire", at: morningOf(p.restitution) });
  if (p.status === "closed" && p.actualExit) {
    rows.transition_log.push({ ...base, from_status: "validated", to_status: "closed", reason: "Fin de parcours", at: morningOf(p.actualExit) });
  } else if (p.status === "dropped" && p.actualExit) {
    rows.transition_log.push({ ...base, from_status: "validated", to_status: "dropped", reason: p.rng.pick(DROP_REASONS), at: morningOf(p.actualExit) });
  }
}
