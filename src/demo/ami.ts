// Demo: the modernisation call (AMI) as the Region published it — its two lots, the expert providers
// referenced per lot, the deadline of 20 February 2023 at noon (Paris) and the latest end of mission 2
// on 30 June 2024 — with three applications made through the domain's own use cases at the dates
// they happened (the clock is passed in): one followed into mission 2, two awaiting the Region.
import type { Transaction } from "kysely";
import { type Actor, roleLabels } from "../core/auth/actor.ts";
import type { DB } from "../core/db/schema.ts";
import { SEED_EXPERTS, SEED_LOTS } from "../domains/ami/rules.ts";
import * as ami from "../domains/ami/use-cases.ts";
import { withinTransaction } from "./closed-order.ts";
import { REGION_EMAIL, staffEmail } from "./organisations.ts";

type Tx = Transaction<DB>;
const DOMAIN = "demo.competences-plus.fr";
export const EXPERT_EMAIL = `expert.bizness@${DOMAIN}`;
export const AMI_LOGINS = [{ role: `${roleLabels.expert} — BIZNESS`, email: EXPERT_EMAIL }];

/** The seed call's text, abridged (source: the Region's AMI « Modernisation de l'appareil de formation »). */
const BODY = `Le plan régional de modernisation vise à accélérer les transformations du système de formation professionnelle par l'expérimentation, en s'appuyant sur le numérique, afin de répondre aux besoins des opérateurs de formation souhaitant investir dans l'innovation pédagogique.

Les prestataires référencés accompagnent les opérateurs de formation en trois missions : diagnostic partagé et plan d'actions (mission 1) ; mise en œuvre et suivi du plan validé par le comité de sélection (mission 2) ; évaluation et livrables modélisables (mission 3).

Bénéficiaires : organismes de formation et centres de formation d'apprentis d'Occitanie référencés au programme régional de formation 2023 (PRF23). Les opérateurs retenus s'engagent à terminer leur plan d'actions (mission 2) au plus tard le 30 juin 2024. Le dossier déposé a une durée de validité d'un an.`;

const at = (iso: string) => new Date(iso);

export async function loadDemoAmi(tx: Tx, passwordHash: string): Promise<{ callId: string; applications: number }> {
  const db = withinTransaction(tx);
  const user = (email: string) => tx.selectFrom("app_user").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
  const asActor = (u: Awaited<ReturnType<typeof user>>): Actor => ({ userId: u.id, role: u.role, fullName: u.full_name, email: u.email, providerId: u.provider_id, prescriberOrganisationId: null, traineeId: null });
  const region = asActor(await user(REGION_EMAIL));

  const experts: Record<string, string> = {};
  for (const name of [...new Set([...SEED_EXPERTS[1], ...SEED_EXPERTS[2]])]) experts[name] = (await ami.createExpertProvider(db, region, { name })).id;
  await ami.addExpertAccount(tx, region, experts.BIZNESS, { email: EXPERT_EMAIL, fullName: "Camille Roussel (BIZNESS)", passwordHash });
  const expert = asActor(await user(EXPERT_EMAIL));

  const callId = await ami.publishCall(
    db,
    region,
    {
      title: "AMI « Modernisation de l'appareil de formation » — Innov'Emploi",
      body: BODY,
      prfYear: 2023,
      deadlineDate: "2023-02-20",
      deadlineTime: "12:00",
      mission2LatestEnd: "2024-06-30",
      priorities:
        "Priorité aux opérateurs jamais accompagnés lors d'un précédent AMI et à ceux qui mettent en place des actions de formation liées à la transition énergétique et écologique ; dossiers s'adressant aux publics cibles du PIC ; implication de l'équipe (chef de projet : 10 % d'un ETP au moins).",
      lots: SEED_LOTS.map((l) => ({ number: l.number, name: l.name, departements: [...l.departements], expertProviderIds: SEED_EXPERTS[l.number].map((n) => experts[n]) })),
    },
    at("2022-12-15T09:00:00Z"),
  );

  const providers = { garonne: asActor(await user(staffEmail("garonne", "direction"))), imc: asActor(await user(staffEmail("imc", "direction"))), tremplin: asActor(await user(staffEmail("tremplin", "direction"))) };
  for (const p of Object.values(providers)) await ami.registerEligible(db, region, { providerId: p.providerId, prfYear: 2023, kind: "training_organisation" });
  const sites = async (providerId: string | null) => tx.selectFrom("site").select(["id", "commune"]).where("provider_id", "=", providerId).execute();
  const siteIn = async (p: Actor, commune: string) => (await sites(p.providerId)).find((s) => s.commune === commune)?.id ?? null;

  const apply = async (p: Actor, when: string, input: Record<string, unknown>) => {
    const id = await ami.startApplication(db, p, callId, at(when));
    await ami.saveApplication(db, p, id, input, at(when));
    await ami.submitApplication(db, p, id, at(when));
    return id;
  };

  // Garonne: multi-site, never accompanied, ecological training — retained and followed into mission 2.
  const garonne = await apply(providers.garonne, "2023-02-10T10:00:00Z", {
    needs: {
      professions: "Refondre les référentiels du pôle tertiaire en blocs de compétences ; faire évoluer la posture des formateurs vers l'accompagnement.",
      digitalisation: "Déployer une plateforme d'apprentissage commune aux trois sites et former l'équipe à la scénarisation de modules à distance.",
      pedagogy: "Parcours à la carte et individualisation renforcée pour les publics en rupture.",
      phases: "Phase 1 (printemps 2023) : référentiels et plateforme ; phase 2 (automne 2023) : déploiement sur Albi et Montauban.",
    },
    team: [
      { name: "Sophie Delmas", role: "Directrice", commitment: "1 jour par mois" },
      { name: "Karim Benali", role: "Responsable pédagogique", commitment: "2 jours par mois" },
      { name: "Léa Fabre", role: "Formatrice tertiaire", commitment: "3 jours par mois" },
    ],
    projectLeadName: "Karim Benali",
    projectLeadShare: "15",
    siteMode: "multi",
    referenceSiteId: await siteIn(providers.garonne, "Toulouse"),
    implementationSiteIds: [await siteIn(providers.garonne, "Toulouse"), await siteIn(providers.garonne, "Albi"), await siteIn(providers.garonne, "Montauban")],
    targetPublics: ["low_qualified_job_seekers", "young_neet"],
    ecologicalActions: "Module « éco-gestes au bureau » dans les parcours tertiaires ; préparation aux métiers de la rénovation énergétique.",
    priorAccompaniment: false,
  });
  // IMC: single site, already accompanied — awaiting the Region's decision.
  await apply(providers.imc, "2023-02-17T15:30:00Z", {
    needs: { professions: "", digitalisation: "Classe virtuelle et ressources en ligne pour les stagiaires éloignés.", pedagogy: "Pédagogie inversée en anglais professionnel.", phases: "" },
    team: [{ name: "Marc Esteve", role: "Président", commitment: "1 jour par mois" }],
    projectLeadName: "Marc Esteve",
    projectLeadShare: "10",
    siteMode: "single",
    referenceSiteId: await siteIn(providers.imc, "Montpellier"),
    targetPublics: ["qpv_residents"],
    ecologicalActions: "",
    priorAccompaniment: true,
    priorAccompanimentDetail: "AMI 2021, lot 2 (digitalisation).",
  });
  // Tremplin: single site in Tarbes (lot 1) — awaiting the Region's decision.
  await apply(providers.tremplin, "2023-02-20T10:59:59Z", {
    needs: { professions: "", digitalisation: "", pedagogy: "Ateliers en réalité virtuelle pour la préparation aux habilitations électriques.", phases: "" },
    team: [{ name: "Jean-Luc Carrère", role: "Gérant", commitment: "1 jour par mois" }],
    projectLeadName: "Jean-Luc Carrère",
    projectLeadShare: "12,5",
    siteMode: "single",
    referenceSiteId: await siteIn(providers.tremplin, "Tarbes"),
    targetPublics: ["rural_residents"],
    ecologicalActions: "Sensibilisation aux énergies renouvelables dans les habilitations électriques.",
    priorAccompaniment: false,
  });

  await ami.decide(db, region, garonne, { decision: "retained", reason: "Projet global, équipe impliquée, trois sites du lot 1." }, at("2023-03-15T10:00:00Z"));
  await ami.assignExpert(db, region, garonne, { expertProviderId: experts.BIZNESS });
  await ami.saveDiagnostic(db, expert, garonne, { diagnostic: "Équipe motivée, outils numériques hétérogènes d'un site à l'autre ; référentiels tertiaires à découper en blocs." }, at("2023-04-20T09:00:00Z"));
  const lms = await ami.addAction(db, expert, garonne, { phase: 1, title: "Plateforme d'apprentissage commune", description: "Choix, paramétrage, premiers modules.", commitments: [{ memberName: "Karim Benali", days: "4" }, { memberName: "Léa Fabre", days: "6" }] });
  await ami.addAction(db, expert, garonne, { phase: 1, title: "Référentiels tertiaires en blocs de compétences", commitments: [{ memberName: "Léa Fabre", days: "5" }, { memberName: "Sophie Delmas", days: "1,5" }] });
  await ami.addAction(db, expert, garonne, { phase: 2, title: "Salle immersive de réalité virtuelle", commitments: [{ memberName: "Karim Benali", days: "3" }] });
  const plan = await ami.getApplication(db, region, garonne);
  await ami.recordCommitteeDecision(
    db,
    region,
    garonne,
    { decidedOn: "2023-05-25", approvedActionIds: plan.actions.filter((a) => a.phase === 1).map((a) => a.id), note: "La salle immersive n'est pas retenue (coût d'équipement hors du champ de l'AMI)." },
    at("2023-05-25T14:00:00Z"),
  );
  await ami.recordProgress(db, expert, garonne, { actionId: lms, onDate: "2023-06-15", note: "Plateforme paramétrée, deux modules pilotes publiés.", done: false }, at("2023-06-15T16:00:00Z"));
  return { callId, applications: 3 };
}
