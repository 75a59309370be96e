import type { Modality } from "../../../core/db/schema.ts";

export const modalityLabels: Record<Modality, string> = {
  centre: "En centre",
  distance: "À distance (synchrone)",
  self_study: "Autoformation",
  company: "En entreprise",
  gathering: "Regroupement",
};

export { slotStatusLabels as statusLabels } from "../rules.ts";

/** The modality, spelled out (never a colour alone); self-study says where (CP-SELFSTUDY-DEFINED). */
export function ModalityBadge(props: { modality: Modality; location?: "remote" | "centre" | null }) {
  const where = props.modality === "self_study" ? (props.location === "remote" ? " à distance" : " au centre") : "";
  return (
    <span class={`badge modality m-${props.modality}`}>
      {modalityLabels[props.modality]}
      {where}
    </span>
  );
}
