// The providers' accepted offer: components and their modules (CP-MODULAR). Every component carries
// the transverse contents (CP-TRANSVERSE-CONTENT, digital not needed in the digital sub-category) and
// a job-search module of at least 14 h (CP-TRE-MIN-14H); preparations have separate written and oral
// modules (CP-PREP-WRITTEN-ORAL). The certification code is illustrative.
import type { Category, ContentTag, Modality } from "../core/db/schema.ts";
import type { DemoOrganisations, LotKey, ProviderKey } from "./organisations.ts";
import type { Rng } from "./random.ts";
import { type DemoRows, hours, morningOf } from "./rows.ts";

export interface ModuleSpec {
  title: string;
  minutes: number;
  modality: Modality;
  tag?: ContentTag;
  prep?: "written" | "oral";
}

export type TemplateKey = "english" | "office" | "officeHybrid" | "forklift" | "electrical" | "careAssistant" | "civilService" | "englishEFormation";

interface ComponentTemplate {
  title: string;
  category: Category;
  subcategory?: string;
  certificationCode?: string;
  level2019?: number;
  eFormation?: boolean;
  prerequisites: string;
  content: string;
  purpose: string;
  /** What the positioning evaluates for this component. */
  evaluations: string;
  modules: ModuleSpec[];
}

const m = (title: string, h: number, modality: Modality = "centre", extra: Partial<ModuleSpec> = {}): ModuleSpec => ({
  title,
  minutes: hours(h),
  modality,
  ...extra,
});

/** Transverse contents shared by every component (CCTP §3.1.4). */
function transverse(o: { digital: number; softSkills: number; ecology: number; refresher: number; modality?: Modality }): ModuleSpec[] {
  const modality = o.modality ?? "centre";
  const list = [
    m("Savoir-être professionnels et travail en équipe", o.softSkills, modality, { tag: "soft_skills" }),
    m("Transition écologique et énergétique dans le métier", o.ecology, modality, { tag: "ecological_transition" }),
    m("Techniques de recherche d'emploi (CV, lettre, entretien, espace France Travail)", 14, modality, { tag: "job_search" }),
    m("Remise à niveau : français et calcul professionnels", o.refresher, o.modality === "distance" ? "self_study" : modality, { tag: "refresher" }),
  ];
  if (o.digital > 0) {
    list.unshift(m("Usages du numérique : s'informer, communiquer, réaliser ses démarches en ligne", o.digital, modality, { tag: "digital" }));
  }
  return list;
}

const officeModules = (hybrid: boolean): ModuleSpec[] => [
  m("Environnement numérique et gestion de fichiers", 14),
  m("Traitement de texte Word : documents professionnels", 28),
  m("Tableur Excel : bases, formules et tableaux", hybrid ? 21 : 35),
  ...(hybrid ? [m("Classe virtuelle : Excel avancé (tutorat à distance)", 14, "distance")] : []),
  m("Outils collaboratifs, messagerie et agenda partagés", 14),
  m("Préparation à la certification PIX ou TOSA", 14),
  m("Autoformation : exercices d'application bureautique", 14, "self_study"),
  ...transverse({ digital: 0, softSkills: 10, ecology: 7, refresher: 14 }),
];

export const TEMPLATES: Record<TemplateKey, ComponentTemplate> = {
  english: {
    title: "Anglais professionnel (CECRL B1)",
    category: "transverse",
    prerequisites: "Niveau A2 du CECRL à l'écrit et à l'oral, vérifié au positionnement.",
    content: "Anglais général, communication orale et écrite en situation professionnelle, entraînement à la certification.",
    purpose: "Atteindre le niveau B1 du CECRL et le faire reconnaître par une certification (Linguaskill ou TOEIC).",
    evaluations: "Test de niveau d'anglais écrit et oral, entretien de motivation, auto-évaluation numérique",
    modules: [
      m("Anglais général : consolidation des bases (A2)", 35),
      m("Communication orale professionnelle : accueil, téléphone, réunions", 28),
      m("Écrits professionnels en anglais : courriels et comptes rendus", 21),
      m("Entraînement à la certification Linguaskill", 14),
      m("Autoformation guidée sur plateforme de langues", 14, "self_study"),
      ...transverse({ digital: 14, softSkills: 10, ecology: 7, refresher: 14 }),
    ],
  },
  office: {
    title: "Bureautique — Word, Excel, PIX/TOSA",
    category: "transverse",
    subcategory: "digital",
    prerequisites: "Savoir lire et écrire le français ; aucune connaissance informatique préalable exigée.",
    content: "Environnement numérique, Word, Excel, outils collaboratifs, préparation à PIX ou TOSA.",
    purpose: "Utiliser les outils bureautiques en entreprise et obtenir une certification PIX ou TOSA.",
    evaluations: "Test pratique Word et Excel, diagnostic PIX, entretien individuel",
    modules: officeModules(false),
  },
  officeHybrid: {
    title: "Bureautique — Word, Excel, PIX/TOSA",
    category: "transverse",
    subcategory: "digital",
    prerequisites: "Savoir lire et écrire le français ; disposer d'un accès internet ou d'un point d'accès e-formation.",
    content: "Environnement numérique, Word, Excel (dont une partie en classe virtuelle), outils collaboratifs, PIX ou TOSA.",
    purpose: "Utiliser les outils bureautiques en entreprise et obtenir une certification PIX ou TOSA.",
    evaluations: "Test pratique Word et Excel, diagnostic PIX, entretien individuel, test de connexion à distance",
    modules: officeModules(true),
  },
  forklift: {
    title: "CACES R489 chariots catégories 1A/3/5",
    category: "regulatory",
    certificationCode: "RS5637",
    prerequisites: "Avoir 18 ans, aptitude médicale à la conduite d'engins, compréhension des consignes de sécurité.",
    content: "Réglementation R489, conduite des chariots de catégories 1A, 3 et 5, logistique, tests CACES.",
    purpose: "Obtenir le CACES R489 catégories 1A, 3 et 5 et accéder aux emplois de cariste et préparateur de commandes.",
    evaluations: "Évaluation des prérequis en lecture et calcul, test de repérage dans l'espace, entretien sur le projet",
    modules: [
      m("Réglementation et prévention des risques (recommandation R489)", 21),
      m("Conduite du chariot catégorie 1A (transpalette à conducteur porté)", 14),
      m("Conduite du chariot catégorie 3 (frontal en porte-à-faux jusqu'à 6 t)", 21),
      m("Conduite du chariot catégorie 5 (à mât rétractable)", 14),
      m("Logistique, réception et gestion des stocks", 14),
      m("Tests CACES théoriques et pratiques", 7),
      ...transverse({ digital: 7, softSkills: 10, ecology: 7, refresher: 7 }),
    ],
  },
  electrical: {
    title: "Habilitation électrique B0-H0V-BS-BE",
    category: "regulatory",
    prerequisites: "Savoir lire et comprendre des consignes écrites ; aucune qualification électrique requise.",
    content: "Bases de l'électricité, prévention du risque électrique (NF C 18-510), travaux pratiques, SST.",
    purpose: "Être habilitable B0-H0V-BS-BE Manœuvre par son employeur à l'issue de la formation.",
    evaluations: "Questionnaire de connaissances techniques, test de calcul, entretien sur le projet professionnel",
    modules: [
      m("Notions de base en électricité", 21),
      m("Prévention du risque électrique et habilitation (NF C 18-510)", 21),
      m("Travaux pratiques en atelier : manœuvres et interventions BS/BE", 28),
      m("Sauveteur secouriste du travail (SST)", 14),
      m("Évaluation théorique et pratique de fin de formation", 7),
      ...transverse({ digital: 7, softSkills: 10, ecology: 14, refresher: 14 }),
    ],
  },
  careAssistant: {
    title: "Préparation à la sélection aide-soignant",
    category: "specific_preparation",
    level2019: 3,
    prerequisites: "Projet professionnel validé dans le secteur du soin ; ne pas être déjà titulaire d'un diplôme de niveau supérieur au niveau 3 du secteur.",
    content: "Dossier de candidature, culture sanitaire et sociale, calculs professionnels, préparation à l'entretien de sélection.",
    purpose: "Réussir la sélection d'entrée en institut de formation d'aide-soignant (diplôme d'État, niveau 3).",
    evaluations: "Tests écrits de français et de calcul, entretien sur le projet, vérification des prérequis de la sélection",
    modules: [
      m("Écrit : dossier de candidature et projet professionnel", 28, "centre", { prep: "written" }),
      m("Écrit : culture sanitaire et sociale", 28, "centre", { prep: "written" }),
      m("Écrit : français et calculs appliqués (doses, conversions)", 21, "centre", { prep: "written" }),
      m("Oral : préparation à l'entretien de sélection", 21, "centre", { prep: "oral" }),
      m("Oral : mises en situation et jury blanc", 14, "centre", { prep: "oral" }),
      ...transverse({ digital: 10, softSkills: 10, ecology: 7, refresher: 7 }),
    ],
  },
  civilService: {
    title: "Préparation concours catégorie C de la fonction publique",
    category: "specific_preparation",
    level2019: 3,
    prerequisites: "Remplir les conditions d'inscription au concours visé (nationalité, casier judiciaire) ; niveau 3 maximum.",
    content: "Français, mathématiques, connaissance des institutions, concours blanc, entretien avec le jury.",
    purpose: "Réussir un concours de catégorie C (adjoint administratif, adjoint technique) des trois fonctions publiques.",
    evaluations: "Tests écrits de français et de mathématiques, questionnaire sur les institutions, entretien individuel",
    modules: [
      m("Écrit : français (rédaction, grammaire, compréhension de texte)", 35, "centre", { prep: "written" }),
      m("Écrit : mathématiques et raisonnement logique", 28, "centre", { prep: "written" }),
      m("Écrit : connaissance des institutions et de la fonction publique", 14, "centre", { prep: "written" }),
      m("Écrit : concours blanc et correction", 7, "centre", { prep: "written" }),
      m("Oral : entretien avec le jury", 21, "centre", { prep: "oral" }),
      m("Oral : simulations d'entretien filmées", 7, "centre", { prep: "oral" }),
      ...transverse({ digital: 10, softSkills: 10, ecology: 7, refresher: 7 }),
    ],
  },
  englishEFormation: {
    title: "Anglais en e-formation (Occitanie e-formation)",
    category: "transverse",
    eFormation: true,
    prerequisites: "Niveau A1 du CECRL ; savoir utiliser un ordinateur et une connexion internet (chez soi ou en point d'accès).",
    content: "Tutorat synchrone en classe virtuelle, autoformation sur la plateforme, regroupements d'accueil et d'évaluation.",
    purpose: "Progresser d'un niveau du CECRL à distance et valider ce niveau par une certification.",
    evaluations: "Test de niveau d'anglais en ligne, entretien à distance, vérification de l'équipement",
    modules: [
      m("Journée d'accueil en regroupement", 7, "gathering"),
      m("Tutorat synchrone : compréhension et expression orales", 35, "distance"),
      m("Tutorat synchrone : écrits professionnels", 14, "distance"),
      m("Autoformation sur la plateforme Occitanie e-formation", 49, "self_study"),
      m("Évaluation finale et certification en regroupement", 7, "gathering"),
      ...transverse({ digital: 7, softSkills: 7, ecology: 7, refresher: 7, modality: "distance" }),
    ],
  },
};

export interface DemoComponent {
  id: string;
  template: ComponentTemplate;
  hybrid: "none" | "requested" | "approved";
  modules: (ModuleSpec & { id: string })[];
}

// What each provider offers, in which lot and at which sites.
const OFFER: { key: string; provider: ProviderKey; lot: LotKey; template: TemplateKey; sites: string[]; hybrid?: "requested" | "approved" }[] = [
  { key: "garonne.english", provider: "garonne", lot: "lot1", template: "english", sites: ["albi", "toulouse"], hybrid: "requested" },
  { key: "garonne.office", provider: "garonne", lot: "lot1", template: "office", sites: ["toulouse", "montauban"] },
  { key: "garonne.forklift", provider: "garonne", lot: "lot1", template: "forklift", sites: ["montauban"] },
  { key: "garonne.careAssistant", provider: "garonne", lot: "lot1", template: "careAssistant", sites: ["toulouse"] },
  { key: "imc.office", provider: "imc", lot: "lot2", template: "officeHybrid", sites: ["montpellier", "nimes"], hybrid: "approved" },
  { key: "imc.electrical", provider: "imc", lot: "lot2", template: "electrical", sites: ["perpignan"] },
  { key: "imc.civilService", provider: "imc", lot: "lot2", template: "civilService", sites: ["nimes", "perpignan"] },
  { key: "imc.englishEFormation", provider: "imc", lot: "lot2", template: "englishEFormation", sites: ["montpellier"] },
  { key: "tremplin.electrical", provider: "tremplin", lot: "lot1", template: "electrical", sites: ["tarbes"] },
  { key: "tremplin.careAssistant", provider: "tremplin", lot: "lot1", template: "careAssistant", sites: ["tarbes", "auch"] },
  { key: "tremplin.english", provider: "tremplin", lot: "lot2", template: "english", sites: ["carcassonne"] },
  { key: "tremplin.forklift", provider: "tremplin", lot: "lot2", template: "forklift", sites: ["rodez"] },
];

export function buildOffer(rows: DemoRows, rng: Rng, orgs: DemoOrganisations, year: number): Record<string, DemoComponent> {
  const components: Record<string, DemoComponent> = {};
  for (const o of OFFER) {
    const t = TEMPLATES[o.template];
    const id = rng.uuid();
    const hybrid = o.hybrid ?? "none";
    rows.component.push({
      id,
      provider_id: orgs.providers[o.provider].providerId,
      lot_id: orgs.lotIds[o.lot],
      title: t.title,
      category: t.category,
      subcategory: t.subcategory ?? null,
      certification_code: t.certificationCode ?? null,
      level_2019: t.level2019 ?? null,
      e_formation: t.eFormation ?? false,
      prerequisites: t.prerequisites,
      content: t.content,
      purpose: t.purpose,
      offer_status: "accepted",
      hybrid_status: hybrid,
      hybrid_organisation:
        hybrid === "none"
          ? null
          : "Classes virtuelles hebdomadaires de 3 h 30 sur l'outil de visioconférence de l'organisme, ressources sur la plateforme Moodle, formateurs formés à l'animation à distance.",
      hybrid_decided_by: hybrid === "approved" ? orgs.regionUserId : null,
      hybrid_decided_at: hybrid === "approved" ? morningOf(`${year - 1}-12-04`) : null,
    });
    for (const s of o.sites) {
      if (orgs.sites[s].provider !== o.provider || orgs.sites[s].lot !== o.lot) throw new Error(`demo: site ${s} does not fit ${o.key}`);
      rows.component_site.push({ component_id: id, site_id: orgs.sites[s].id });
    }
    const modules = t.modules.map((spec, position) => {
      const moduleId = rng.uuid();
      rows.module.push({
        id: moduleId,
        component_id: id,
        title: spec.title,
        minutes: spec.minutes,
        modality: spec.modality,
        content_tag: spec.tag ?? null,
        prep_part: spec.prep ?? null,
        position,
      });
      return { ...spec, id: moduleId };
    });
    components[o.key] = { id, template: t, hybrid, modules };
  }
  return components;
}
