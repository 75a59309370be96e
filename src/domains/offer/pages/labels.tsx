// French labels of the offer's codes, for pages.
import type { Category, ContentTag, Modality } from "../../../core/db/schema.ts";

export const categoryLabels: Record<Category, string> = {
  transverse: "Transverse",
  regulatory: "Réglementaire",
  specific_preparation: "Préparation spécifique",
};

export const offerStatusLabels: Record<string, string> = {
  draft: "Brouillon",
  submitted: "Soumise à la Région",
  accepted: "Acceptée",
  refused: "Refusée",
};

export const hybridStatusLabels: Record<string, string> = {
  none: "Non demandée",
  requested: "Hybride demandée",
  approved: "Hybride acceptée",
  refused: "Hybride refusée",
};

export const modalityLabels: Record<Modality, string> = {
  centre: "Présentiel en centre",
  company: "En entreprise",
  distance: "À distance (tutorat synchrone)",
  self_study: "Autoformation",
  gathering: "Regroupement (e-formation)",
};

export const contentTagOptions: { value: ContentTag | "none"; label: string }[] = [
  { value: "none", label: "Aucun" },
  { value: "digital", label: "Usages du numérique" },
  { value: "soft_skills", label: "Soft skills" },
  { value: "ecological_transition", label: "Transition écologique et énergétique" },
  { value: "job_search", label: "Techniques de recherche d'emploi (TRE)" },
  { value: "refresher", label: "Remise à niveau" },
];

export const prepPartLabels: Record<string, string> = { written: "Préparation à l'écrit", oral: "Entraînement à l'oral" };

export function StatusBadge(props: { status: string; labels: Record<string, string> }) {
  return <span class={`badge ${props.status}`}>{props.labels[props.status] ?? props.status}</span>;
}
